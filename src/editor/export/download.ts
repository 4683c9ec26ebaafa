// Hands exported files to the browser as one download: a single file as itself, several zipped
// (fflate, loaded only when needed) under the model's name.
import { slug } from '../../engine/export/bundle-docs.js';
import type { ExportFile, ExportFormat } from '../../engine/export/types.js';

/** The name an export's download gets: a single file's own name, else `<model>-<format>.zip`. */
export function downloadName(files: readonly Pick<ExportFile, 'path'>[], projectName: string, format: ExportFormat): string {
  return files.length === 1 ? files[0]!.path.split('/').pop()! : `${slug(projectName)}-${format}.zip`;
}

/** The download's name and bytes for an export's files. */
export async function packFiles(files: readonly ExportFile[], projectName: string, format: ExportFormat): Promise<{ name: string; bytes: Uint8Array }> {
  const name = downloadName(files, projectName, format);
  if (files.length === 1) return { name, bytes: files[0]!.bytes };
  const { zipSync } = await import('fflate');
  const root = name.slice(0, -'.zip'.length);
  return { name, bytes: zipSync(Object.fromEntries(files.map((f) => [`${root}/${f.path}`, f.bytes]))) };
}

/** Starts the browser's download of `bytes` as `name`. */
export function saveAs(bytes: Uint8Array, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000); // after the browser has started reading it
}
