// What a broken or hostile share link shows: the decoder's own words, where it went wrong, and a
// way on to the person's own projects. Nothing has been stored when this shows.
import type { ShareError } from '../../engine/share/index.js';

export function ShareErrorPanel(props: { error: ShareError; onContinue: () => void }) {
  return (
    <section class="share-error" role="alert" data-testid="share-error" data-code={props.error.code}>
      <h2>This share link cannot be opened</h2>
      <p data-testid="share-error-message">{props.error.message}</p>
      <p class="muted">
        Nothing was opened or saved from it. Ask whoever sent it for a new link or a project file.
      </p>
      <button type="button" data-testid="share-continue" onClick={() => props.onContinue()}>
        Go to my projects
      </button>
    </section>
  );
}
