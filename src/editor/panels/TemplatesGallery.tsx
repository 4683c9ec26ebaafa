// The templates gallery: every template as a card with a thumbnail of its graph, its name,
// summary and parameter count; one click opens it as a new project.
import { For } from 'solid-js';
import { analyzeGraph } from '../../engine/graph/analyze.js';
import { TEMPLATES, type TemplateInfo } from '../../engine/templates/index.js';
import { compact } from '../format.js';
import { thumbnailSvg } from './template-thumbnail.js';
import './panels.css';

interface Card {
  readonly template: TemplateInfo;
  readonly svg: string;
  readonly params: number;
}

// Built once per page: templates are fixed, and ResNet-18's analysis is a few milliseconds.
let cards: Card[] | null = null;
function templateCards(): Card[] {
  cards ??= TEMPLATES.map((template) => {
    const graph = template.project().graph;
    return { template, svg: thumbnailSvg(graph), params: analyzeGraph(graph).totals.params };
  });
  return cards;
}

export function TemplatesGallery(props: { onOpen(templateId: string): void; disabled?: boolean }) {
  return (
    <section class="templates-gallery" data-testid="templates-gallery" aria-label="Templates">
      <For each={templateCards()}>
        {(c) => (
          <button type="button" class="template-card" data-testid="template-card" data-template-id={c.template.id}
            disabled={props.disabled} onClick={() => props.onOpen(c.template.id)} title={`New project from ${c.template.name}`}>
            {/* Our own SVG string: numbers, fixed colours and escaped kind names. */}
            <span class="template-thumb" innerHTML={c.svg} />
            <strong>{c.template.name}</strong>
            <span class="muted small">{c.template.summary}</span>
            <span class="template-params" data-testid="template-params">{compact(c.params)} params</span>
          </button>
        )}
      </For>
    </section>
  );
}
