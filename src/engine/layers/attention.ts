// STUB: the attention family, to be written.
export const attentionLayers = {};
