// The worker's ImageDecoder: the browser's own codecs through createImageBitmap, pixels read
// back from an OffscreenCanvas 2D context. Works in dedicated workers (no DOM needed).
import type { DecodedImage, ImageDecoder } from '../engine/data/images.js';

/** Decodes PNG/JPEG/GIF/BMP/WebP bytes to RGBA; a file the browser cannot read throws naming it. */
export const browserImageDecoder: ImageDecoder = {
  async decode(bytes: Uint8Array, name: string): Promise<DecodedImage> {
    let bitmap: ImageBitmap;
    try {
      // A copy into a plain ArrayBuffer: Blob refuses views over SharedArrayBuffer.
      bitmap = await createImageBitmap(new Blob([bytes.slice()]));
    } catch (e) {
      throw new Error(`${name}: the browser could not decode this image (${e instanceof Error ? e.message : String(e)})`);
    }
    try {
      const { width, height } = bitmap;
      const canvas = new OffscreenCanvas(width, height);
      // willReadFrequently keeps the canvas on the CPU: one readback, no GPU round trip.
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (!ctx) throw new Error(`${name}: no 2D canvas context in this worker to read the image`);
      ctx.drawImage(bitmap, 0, 0);
      return { width, height, data: ctx.getImageData(0, 0, width, height).data };
    } finally {
      bitmap.close(); // frees the decoded pixels now rather than at garbage collection
    }
  },
};
