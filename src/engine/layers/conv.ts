// STUB: the conv family, to be written.
export const convLayers = {};
