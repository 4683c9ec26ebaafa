// STUB: the pooling family, to be written.
export const poolingLayers = {};
