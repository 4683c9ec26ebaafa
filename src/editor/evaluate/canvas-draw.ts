// Drawing helpers for the panel's canvases: put RGBA pixels on a canvas at their own size, and
// size a canvas's backing store for the device pixel ratio (sizes go through attributes and the
// CSSOM: the Content-Security-Policy forbids inline style attributes).

/** Draws RGBA pixels (row-major) onto `canvas`, whose backing store takes the image's size. */
export function drawRgba(canvas: HTMLCanvasElement, width: number, height: number, rgba: Uint8ClampedArray): void {
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  // A fresh buffer: ImageData refuses views on a SharedArrayBuffer or with an offset.
  ctx.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
}

/**
 * Gives `canvas` a CSS size of `width`×`height` px and a backing store `devicePixelRatio` times
 * larger, and returns its 2-D context scaled so drawing uses CSS pixels.
 */
export function hiDpiContext(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D | null {
  const ratio = Math.max(1, Math.min(3, globalThis.devicePixelRatio || 1));
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.setProperty('width', `${width}px`);
  canvas.style.setProperty('height', `${height}px`);
  const ctx = canvas.getContext('2d');
  ctx?.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}
