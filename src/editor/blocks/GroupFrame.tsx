// An expanded group: a labelled frame around its nodes, with a control that collapses it again.
// Drawn in two layers: the frame behind the nodes, its head above the edge labels (so a label
// never covers the collapse control).
import type { GroupId, NodeGroup } from '../../engine/project/types.js';
import type { Rect } from '../canvas/edge-geometry.js';
import { NO_DRAG } from '../canvas/useNodeDrag.js';
import { NO_PAN } from '../canvas/usePanZoom.js';

const PAD = 16;
const HEAD = 20;

export interface GroupFrameProps {
  readonly group: NodeGroup;
  readonly bounds: () => Rect;
  readonly part: 'frame' | 'head';
  readonly onCollapse: (id: GroupId) => void;
  readonly canEdit: () => boolean;
}

export function GroupFrame(props: GroupFrameProps) {
  const r = () => props.bounds();
  const at = () => `translate(${r().x - PAD}px, ${r().y - PAD - HEAD}px)`;
  if (props.part === 'frame')
    return <div class="group-frame" data-testid="group-frame" data-group-id={props.group.id} style={{ transform: at(), width: `${r().width + 2 * PAD}px`, height: `${r().height + 2 * PAD + HEAD}px` }} />;
  return (
    <div class={`group-frame-head ${NO_PAN} ${NO_DRAG}`} data-group-id={props.group.id} style={{ transform: at() }}>
      <span>{props.group.name}</span>
      {props.group.block !== undefined ? <span class="block-badge">block</span> : null}
      <button type="button" data-testid="block-collapse" disabled={!props.canEdit()} title="Collapse into one box" onClick={() => props.onCollapse(props.group.id)}>
        collapse
      </button>
    </div>
  );
}
