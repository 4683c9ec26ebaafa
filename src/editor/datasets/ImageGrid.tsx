// The image grid: a page of samples as canvases, filtered by class chips and split.
import { For } from 'solid-js';
import type { ExploreSessionId, SamplePreview } from '../../workers/explorer-api.js';
import type { ExplorerClient } from './explorer-client.js';
import { createSamplePager } from './sample-pager.js';
import { SampleFilters } from './SampleFilters.js';
import { SampleThumb } from './SampleThumb.js';

const PAGE = 48;

export function ImageGrid(props: { client: ExplorerClient; session: ExploreSessionId; classes: readonly string[] | null }) {
  const pager = createSamplePager(props.client, props.session, PAGE);
  const images = () => (pager.page()?.items ?? []).filter((s): s is Extract<SamplePreview, { kind: 'image' }> => s.kind === 'image');
  return (
    <section class="explorer-card sample-browser" data-testid="image-grid" aria-labelledby="image-grid-title">
      <h3 id="image-grid-title">Images</h3>
      <SampleFilters pager={pager} classes={props.classes} searchable={false} what="images" />
      <div class="image-grid" classList={{ stale: pager.loading() }} aria-busy={pager.loading()}>
        <For each={images()}>{(s) => <SampleThumb sample={s} classes={props.classes} />}</For>
      </div>
    </section>
  );
}
