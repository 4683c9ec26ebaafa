// What the Dataset picker holds and the worker request it becomes: built-in MNIST, an
// imported file, a folder of images (one class per sub-folder), a URL to download, or a
// dataset an earlier run kept on the device. Files are read only when a run starts; their
// bytes are then transferred to the worker (which keeps them on the device before training).
import type { DatasetId } from '../../storage/types.js';
import type { DatasetRequest, FolderFile, ImportTestHooks } from '../../workers/trainer-api.js';

export type DatasetChoice =
  | { readonly kind: 'mnist' }
  | { readonly kind: 'file'; readonly file: File | null; readonly label: string }
  | { readonly kind: 'folder'; readonly files: readonly File[] }
  | { readonly kind: 'remote'; readonly url: string; readonly sha256: string; readonly label: string }
  /** `name` for the phase line; `label` starts as the one the dataset was kept with. */
  | { readonly kind: 'stored'; readonly id: DatasetId | null; readonly name: string; readonly label: string };

export type DatasetKind = DatasetChoice['kind'];

/** A fresh, empty choice of a kind (what the picker switches to). */
export function emptyChoice(kind: DatasetKind): DatasetChoice {
  switch (kind) {
    case 'mnist':
      return { kind };
    case 'file':
      return { kind, file: null, label: '' };
    case 'folder':
      return { kind, files: [] };
    case 'remote':
      return { kind, url: '', sha256: '', label: '' };
    case 'stored':
      return { kind, id: null, name: '', label: '' };
    default: {
      const never: never = kind;
      throw new Error(`unknown dataset kind ${String(never)}`);
    }
  }
}

/** Null for an http(s) URL; otherwise what is wrong with it. */
export function urlProblem(url: string): string | null {
  const u = url.trim();
  if (!u) return 'enter the URL of a .csv, .tsv, .jsonl, .txt or .zip file';
  try {
    const p = new URL(u).protocol;
    return p === 'http:' || p === 'https:' ? null : `only http and https URLs can be downloaded, not ${p}`;
  } catch {
    return `"${u}" is not a URL`;
  }
}

/** Null for an empty (optional) or valid SHA-256; otherwise what is wrong with it. */
export const sha256Problem = (s: string): string | null => (s.trim() === '' || /^[0-9a-fA-F]{64}$/.test(s.trim()) ? null : 'a SHA-256 is 64 hex digits');

/** The folder the person picked: the first segment of the files' relative paths. */
export const folderName = (files: readonly File[]): string => (files[0]?.webkitRelativePath || files[0]?.name || 'folder').split('/')[0]!;

/** Whether Start can use this choice (MNIST also needs an MNIST template: the panel checks that). */
export function choiceReady(c: DatasetChoice): boolean {
  switch (c.kind) {
    case 'mnist':
      return true;
    case 'file':
      return c.file !== null;
    case 'folder':
      return c.files.length > 0;
    case 'remote':
      return urlProblem(c.url) === null && sha256Problem(c.sha256) === null;
    case 'stored':
      return c.id !== null;
    default: {
      const never: never = c;
      throw new Error(`unknown dataset choice ${JSON.stringify(never)}`);
    }
  }
}

/**
 * `?nf-test-hang-dataset-import=N`, for the crash-safety browser test only: keeping the import
 * on the device writes N chunks, then hangs before its record (honoured only by the worker).
 */
function importHooks(): ImportTestHooks {
  const n = Number.parseInt(new URLSearchParams(globalThis.location?.search ?? '').get('nf-test-hang-dataset-import') ?? '', 10);
  return Number.isInteger(n) && n > 0 ? { testHangImportAfterChunks: n } : {};
}

/** The worker request for a choice; null while it is incomplete (no file, no URL, no dataset picked). */
export async function datasetRequest(choice: DatasetChoice): Promise<DatasetRequest | null> {
  if (!choiceReady(choice)) return null;
  switch (choice.kind) {
    case 'mnist':
      return { source: 'builtin', name: 'mnist' };
    case 'file': {
      // A fresh buffer per run: the previous one was transferred (detached) to the worker.
      const bytes = await choice.file!.arrayBuffer();
      const label = choice.label.trim();
      return { source: 'file', name: choice.file!.name, bytes, ...(label ? { label } : {}), ...importHooks() };
    }
    case 'folder': {
      const files: FolderFile[] = await Promise.all(choice.files.map(async (f) => ({ path: f.webkitRelativePath || f.name, bytes: await f.arrayBuffer() })));
      return { source: 'folder', name: folderName(choice.files), files, ...importHooks() };
    }
    case 'remote': {
      const sha256 = choice.sha256.trim().toLowerCase();
      const label = choice.label.trim();
      return { source: 'remote', url: choice.url.trim(), ...(sha256 ? { sha256 } : {}), ...(label ? { label } : {}), ...importHooks() };
    }
    case 'stored': {
      const label = choice.label.trim();
      return { source: 'stored', datasetId: choice.id!, name: choice.name, ...(label ? { label } : {}) };
    }
    default: {
      const never: never = choice;
      throw new Error(`unknown dataset choice ${JSON.stringify(never)}`);
    }
  }
}
