// A folder upload inside the worker: the page sends every file's path (webkitRelativePath,
// "pets/cats/1.png") and bytes; the top folder's name is dropped so classes are the
// sub-folders ("cats"), and loadImageFiles decodes and resizes them to the model's Input.
import { DatasetError, loadImageFiles, type Dataset, type ImageDecoder, type LoadOptions, type UploadedFile } from '../engine/data/index.js';
import type { FolderFile } from './trainer-api.js';

/** "pets/cats/1.png" → "cats/1.png": the folder the person picked is not a class. */
export function stripTopFolder(path: string): string {
  const parts = path.split('/');
  return parts.length > 1 ? parts.slice(1).join('/') : path;
}

/** @throws DatasetError when the model input is not an image or the folder is not a class set. */
export async function loadFolder(name: string, files: readonly FolderFile[], decoder: ImageDecoder, options: LoadOptions): Promise<Dataset> {
  const shape = options.input?.shape;
  if (!shape || shape.length !== 3 || shape.some((d) => d === null || !(d > 0))) {
    throw new DatasetError(`an image folder needs the model's input shape [height, width, channels], got ${shape ? JSON.stringify(shape) : 'none'}`, name);
  }
  const [height, width, channels] = shape as number[];
  if (channels !== 1 && channels !== 3) throw new DatasetError(`images need a model input with 1 or 3 channels, got ${channels}`, name);
  const uploaded: UploadedFile[] = files.map((f) => ({ path: stripTopFolder(f.path), bytes: new Uint8Array(f.bytes) }));
  return loadImageFiles(uploaded, decoder, {
    height: height!,
    width: width!,
    channels,
    seed: options.seed ?? 1,
    fileName: name,
    ...(options.testFraction !== undefined ? { testFraction: options.testFraction } : {}),
    ...(options.onUndecodable ? { onUndecodable: options.onUndecodable } : {}),
  });
}
