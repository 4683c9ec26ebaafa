// STUB: the activations family, to be written.
export const activationLayers = {};
