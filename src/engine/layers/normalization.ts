// STUB: the normalization family, to be written.
export const normalizationLayers = {};
