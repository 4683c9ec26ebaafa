// The drag payload between the palette and the canvas: the palette sets it on dragstart, the
// canvas reads it on drop and inserts a node of that kind where it was dropped.

/** `dataTransfer` type whose data is a layer kind, e.g. "Conv2D". */
export const PALETTE_KIND_MIME = 'application/x-neuralforge-kind';
