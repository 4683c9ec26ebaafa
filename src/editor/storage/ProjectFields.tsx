// The project's name and description, edited in place and autosaved.
import type { ProjectDoc } from './project-doc.js';

export function ProjectFields(props: { doc: ProjectDoc }) {
  const readOnly = () => !props.doc.canEdit();
  return (
    <section class="project-fields">
      <input
        class="project-name"
        data-testid="project-name"
        aria-label="Project name"
        maxLength={200}
        value={props.doc.record().name}
        readOnly={readOnly()}
        onInput={(e) => {
          if (!props.doc.rename(e.currentTarget.value)) e.currentTarget.value = props.doc.record().name;
        }}
      />
      <textarea
        class="project-description"
        data-testid="project-description"
        aria-label="Project description"
        placeholder="What is this model for?"
        maxLength={10000}
        rows={2}
        value={props.doc.record().description}
        readOnly={readOnly()}
        onInput={(e) => {
          if (!props.doc.setDescription(e.currentTarget.value)) e.currentTarget.value = props.doc.record().description;
        }}
      />
    </section>
  );
}
