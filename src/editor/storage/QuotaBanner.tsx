// The banner shown when a save failed: for a full disk, what failed, that the last saved state is
// safe, and a link to free space; for any other failure, the storage layer's own sentence.
import { Show } from 'solid-js';
import type { SaveStatus } from '../../storage/autosave.js';
import { isQuotaError } from '../../storage/quota.js';

export function QuotaBanner(props: { status: SaveStatus; onFreeSpace: () => void; onRetry: () => void }) {
  const failed = () => (props.status.state === 'error' ? props.status : null);
  return (
    <Show when={failed()}>
      {(s) => (
        <Show
          when={isQuotaError(s().error)}
          fallback={
            <div class="banner error-banner" data-testid="save-error" role="alert">
              <strong>Your last change was not saved.</strong> {s().message}
            </div>
          }
        >
          <div class="banner quota-banner" data-testid="quota-banner" role="alert">
            <strong>Storage is full: your last change was not saved.</strong> {s().message}{' '}
            <Show when={s().retryAt !== null}>It will be tried again automatically. </Show>
            <a href="#storage" data-testid="free-space" onClick={(e) => (e.preventDefault(), props.onFreeSpace())}>
              Free space
            </a>{' '}
            <button type="button" onClick={() => props.onRetry()}>Try again now</button>
          </div>
        </Show>
      )}
    </Show>
  );
}
