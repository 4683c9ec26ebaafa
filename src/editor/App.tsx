// The first page: pick a template, see its layers with shapes, counts and diagnostics, and
// train it (MNIST templates) in a worker from the Training panel.
import { createMemo, createSignal, For, Show } from 'solid-js';
import { analyzeGraph } from '../engine/graph/analyze.js';
import { summarize } from '../engine/graph/summary.js';
import { formatShape } from '../engine/tensor.js';
import { TEMPLATES } from '../engine/templates/index.js';
import { bytes, compact } from './format.js';
import { TrainingPanel } from './training/TrainingPanel.js';

export function App() {
  const [templateId, setTemplateId] = createSignal(TEMPLATES[0]!.id);
  const project = createMemo(() => TEMPLATES.find((t) => t.id === templateId())!.project());
  const analysis = createMemo(() => analyzeGraph(project().graph));
  const summary = createMemo(() => summarize(analysis(), project().training));

  return (
    <main class="page">
      <header class="top">
        <h1>NeuralForge</h1>
        <label>
          Template{' '}
          <select value={templateId()} onChange={(e) => setTemplateId(e.currentTarget.value)} data-testid="template-picker">
            <For each={TEMPLATES}>{(t) => <option value={t.id}>{t.name}</option>}</For>
          </select>
        </label>
      </header>
      <p class="summary">{project().description}</p>
      <section class="totals" data-testid="totals">
        <span>{compact(summary().totals.params)} params ({compact(summary().totals.nonTrainableParams)} non-trainable)</span>
        <span>{compact(summary().totals.flops, 'FLOPs')} per sample</span>
        <span>
          training memory {bytes(summary().trainingMemory.totalBytes)} at batch {summary().trainingMemory.batchSize} ({summary().trainingMemory.optimizer})
        </span>
      </section>
      <Show when={analysis().diagnostics.length > 0}>
        <ul class="diagnostics">
          <For each={analysis().diagnostics}>
            {(d) => (
              <li class={d.severity}>
                <strong>{d.nodeId ?? 'graph'}</strong>: {d.message}. {d.suggestion}
              </li>
            )}
          </For>
        </ul>
      </Show>
      <TrainingPanel project={project} />
      <h2>Layers</h2>
      <table class="layers">
        <thead>
          <tr><th>node</th><th>kind</th><th>output shape</th><th class="num">params</th><th class="num">FLOPs</th></tr>
        </thead>
        <tbody>
          <For each={project().graph.nodes}>
            {(n) => {
              const a = () => analysis().nodes.get(n.id)!;
              return (
                <tr classList={{ error: a().diagnostics.some((d) => d.severity === 'error') }}>
                  <td>{n.id}</td>
                  <td>{n.kind}</td>
                  <td><code>{a().output ? formatShape(a().output!.shape) : '—'}</code></td>
                  <td class="num">{compact(a().paramCount.trainable + a().paramCount.nonTrainable)}</td>
                  <td class="num">{compact(a().flops)}</td>
                </tr>
              );
            }}
          </For>
        </tbody>
      </table>
    </main>
  );
}
