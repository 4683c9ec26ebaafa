// STUB: the merge family, to be written.
export const mergeLayers = {};
