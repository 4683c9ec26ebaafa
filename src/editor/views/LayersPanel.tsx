// The editor's Layers tab: totals (parameters, FLOPs, training memory), the graph's diagnostics
// and the layer table, whose settings can be edited in place.
import { For, Show } from 'solid-js';
import type { GraphSummary } from '../../engine/graph/summary.js';
import { bytes, compact } from '../format.js';
import { LayerTable } from '../LayerTable.js';
import type { ProjectDoc } from '../storage/project-doc.js';

export function LayersPanel(props: { doc: ProjectDoc; summary: GraphSummary }) {
  const analysis = () => props.doc.analysis();
  const t = () => props.summary;
  return (
    <section class="layers-details" data-testid="layers-details">
      <section class="totals" data-testid="totals">
        <span>{compact(t().totals.params)} params ({compact(t().totals.nonTrainableParams)} non-trainable)</span>
        <span>{compact(t().totals.flops, 'FLOPs')} per sample</span>
        <span>
          training memory {bytes(t().trainingMemory.totalBytes)} at batch {t().trainingMemory.batchSize} ({t().trainingMemory.optimizer})
        </span>
      </section>
      <Show when={analysis().diagnostics.length > 0}>
        <ul class="diagnostics" data-testid="diagnostics">
          <For each={analysis().diagnostics}>
            {(diag) => (
              <li class={diag.severity}>
                <strong>{diag.nodeId ?? 'graph'}</strong>: {diag.message}. {diag.suggestion}
              </li>
            )}
          </For>
        </ul>
      </Show>
      <LayerTable nodes={props.doc.record().draft.graph.nodes} analysis={analysis()} readOnly={!props.doc.canEdit()} onParams={(id, params) => props.doc.setParams(id, params)} />
    </section>
  );
}
