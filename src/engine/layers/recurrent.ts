// STUB: the recurrent family, to be written.
export const recurrentLayers = {};
