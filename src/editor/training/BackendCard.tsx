// Which backend trains, on which GPU adapter, why faster backends were passed over, and a
// plain warning when the "GPU" is a software renderer such as SwiftShader.
import { For, Show } from 'solid-js';
import { softwareWarning, type BackendReport } from '../../engine/runtime/backend-types.js';

export function BackendCard(props: { report: BackendReport | null; pending: boolean; error: string | null; prewarmMs: number | null }) {
  const adapterText = (r: BackendReport) => {
    const a = r.adapter;
    if (!a) return r.backend === 'wasm' || r.backend === 'cpu' ? 'CPU (no GPU adapter)' : 'unknown adapter';
    return [a.vendor, a.architecture, a.description].filter(Boolean).join(' · ') + (a.isFallbackAdapter ? ' (fallback adapter)' : '');
  };
  return (
    <section class="backend-card" data-testid="backend-card">
      <Show when={props.error}>
        <p class="error">Could not start a backend: {props.error}</p>
      </Show>
      <Show when={props.report} fallback={<p class="muted">{props.pending ? 'Starting the training worker…' : 'No backend yet.'}</p>}>
        {(r) => (
          <>
            <p>
              Backend <strong data-testid="backend-name">{r().backend}</strong>
              <Show when={r().requested !== 'auto' && r().requested !== r().backend}>
                {' '}(you asked for {r().requested})
              </Show>
              {' '}on <span data-testid="adapter">{adapterText(r())}</span>
              <Show when={props.prewarmMs !== null}>
                <span class="muted"> · shaders pre-compiled in {Math.round(props.prewarmMs!)} ms</span>
              </Show>
            </p>
            <Show when={softwareWarning(r())}>
              {(w) => (
                <p class="warning-box" role="alert" data-testid="software-warning">
                  {w()}
                </p>
              )}
            </Show>
            <Show when={r().skipped.length > 0}>
              <ul class="skipped" data-testid="skipped">
                <For each={r().skipped}>
                  {(s) => (
                    <li>
                      <strong>{s.backend}</strong> skipped: {s.message}
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
