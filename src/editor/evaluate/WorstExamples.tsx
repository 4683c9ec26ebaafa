// The worst examples of an evaluation: the samples with the highest loss (classification) or
// |residual| (regression), worst first, 24 at a time, in the panel's sample grid.
import type { EvaluatorApi, EvalSessionId } from './eval-types.js';
import { SampleGrid } from './SampleGrid.js';

export const WORST_PAGE = 24;

export function WorstExamples(props: {
  api: EvaluatorApi;
  session: EvalSessionId;
  worst: Int32Array;
  classNames: readonly string[] | null;
  picked: number | null;
  onPick: (index: number) => void;
  pickAction: { label: string; run: (index: number) => void } | null;
}) {
  return (
    <SampleGrid
      api={props.api}
      session={props.session}
      indices={props.worst}
      initial={WORST_PAGE}
      step={WORST_PAGE}
      classNames={props.classNames}
      picked={props.picked}
      onPick={props.onPick}
      pickAction={props.pickAction}
      label={props.classNames ? 'Worst examples by loss, worst first' : 'Worst examples by absolute residual, worst first'}
      testId="worst-grid"
      emptyText="No samples were evaluated."
    />
  );
}
