// Branded identifiers: a NodeId can't be passed where a RunId is expected.
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type NodeId = Brand<string, 'NodeId'>;
export type EdgeId = Brand<string, 'EdgeId'>;
export type RunId = Brand<string, 'RunId'>;
export type DatasetId = Brand<string, 'DatasetId'>;
export type ProjectId = Brand<string, 'ProjectId'>;

export const nodeId = (s: string): NodeId => s as NodeId;

/** Edges have no stored id; this one is stable for as long as the edge exists. */
export const edgeId = (source: string, target: string, targetInput: number): EdgeId =>
  `${source}->${target}:${targetInput}` as EdgeId;
