// Connecting ports: @xyflow/system's XYHandle wrapped as a Solid primitive. Every port the
// pointer comes near is checked with checkConnection while dragging; a refused drop says why.
import { ConnectionMode, XYHandle, type ConnectionInProgress, type Handle, type Transform } from '@xyflow/system';
import { createSignal, type Accessor } from 'solid-js';
import type { NodeId } from '../../engine/ids.js';
import type { Position } from '../../engine/project/types.js';
import type { ConnectionCheck } from './connection.js';
import { parseInputHandle, type FlowLookup } from './flow-nodes.js';

/** The connection being dragged, in graph coordinates, with the verdict on the port under it. */
export interface PendingConnection {
  readonly from: Position;
  readonly to: Position;
  /** null while no input port is near the pointer. */
  readonly check: ConnectionCheck | null;
}

export interface ConnectOptions {
  lookup(): FlowLookup;
  transform(): Transform;
  pane(): HTMLDivElement | null;
  toGraph(p: Position): Position;
  panBy(delta: Position): Promise<boolean>;
  check(source: NodeId, target: NodeId, port: number): ConnectionCheck;
  onBusy(connecting: boolean): void;
  /** An accepted drop. */
  onConnect(source: NodeId, target: NodeId, port: number): void;
  /** A drop on a port that refused the edge. */
  onRefused(reason: string): void;
}

export interface Connect {
  readonly pending: Accessor<PendingConnection | null>;
  /** Pointer down on a node's output port starts a connection from that node. */
  start(event: MouseEvent, nodeId: NodeId, portElement: Element): void;
}

export function createConnect(o: ConnectOptions): Connect {
  const [pending, setPending] = createSignal<PendingConnection | null>(null);
  let fromHandle: Handle | null = null;
  // One verdict per (source, target, port) per drag: the analysis is not re-run on every move.
  let verdicts = new Map<string, ConnectionCheck>();
  const verdict = (source: NodeId, target: NodeId, port: number): ConnectionCheck => {
    const key = `${target}:${port}`;
    let v = verdicts.get(key);
    if (!v) verdicts.set(key, (v = o.check(source, target, port)));
    return v;
  };

  function start(event: MouseEvent, nodeId: NodeId, portElement: Element) {
    verdicts = new Map();
    const lookup = o.lookup();
    fromHandle = lookup.get(nodeId)?.internals.handleBounds?.source?.[0] ?? null;
    XYHandle.onPointerDown(event, {
      autoPanOnConnect: false,
      connectionMode: ConnectionMode.Strict,
      connectionRadius: 24,
      domNode: o.pane(),
      handleId: fromHandle?.id ?? null,
      nodeId,
      isTarget: false,
      nodeLookup: lookup,
      lib: 'nf',
      flowId: 'canvas',
      panBy: o.panBy,
      getTransform: o.transform,
      getFromHandle: () => fromHandle,
      handleDomNode: portElement,
      dragThreshold: 1,
      isValidConnection: (c) => {
        const port = parseInputHandle(c.targetHandle);
        return port !== null && verdict(c.source as NodeId, c.target as NodeId, port).ok;
      },
      updateConnection: (c) => {
        if (!c.inProgress) return;
        const live = c as ConnectionInProgress;
        o.onBusy(true);
        const port = live.toHandle?.type === 'target' ? parseInputHandle(live.toHandle.id) : null;
        setPending({
          from: live.from,
          to: o.toGraph(live.to),
          check: port === null || !live.toHandle ? null : verdict(nodeId, live.toHandle.nodeId as NodeId, port),
        });
      },
      cancelConnection: () => {
        fromHandle = null;
        setPending(null);
        o.onBusy(false);
      },
      onConnect: (c) => {
        const port = parseInputHandle(c.targetHandle);
        if (port !== null) o.onConnect(c.source as NodeId, c.target as NodeId, port);
      },
      onConnectEnd: (_e, state) => {
        const port = state.toHandle?.type === 'target' ? parseInputHandle(state.toHandle.id) : null;
        if (port === null || !state.toHandle) return;
        const v = verdict(nodeId, state.toHandle.nodeId as NodeId, port);
        if (!v.ok) o.onRefused(v.reason);
      },
    });
  }

  return { pending, start };
}
