// The MLflow tracking-server settings a person enters in the Runs view: checked on save and kept
// in this browser's localStorage under one versioned key. No DOM beyond a Storage-like object.

/** localStorage key; the suffix is the format's version (a new format gets a new key). */
export const MLFLOW_SETTINGS_KEY = 'neuralforge.mlflow-settings.v1';

export interface MlflowSettings {
  /** The server's base URL, e.g. `http://localhost:5000` (no trailing slash once saved). */
  readonly trackingUri: string;
  /** The experiment the runs go to, as MLflow shows it (`0` is the default experiment). */
  readonly experimentId: string;
  /** The `Authorization` header's value (e.g. `Bearer …`); '' sends none. */
  readonly authorization: string;
  /** Log each run of this tab to MLflow when it ends. */
  readonly autoLog: boolean;
}

export type SettingsField = 'trackingUri' | 'experimentId' | 'authorization' | 'storage';

export interface FieldError {
  readonly field: SettingsField;
  readonly message: string;
}

export type SettingsCheck = { readonly ok: true; readonly settings: MlflowSettings } | { readonly ok: false; readonly errors: readonly FieldError[] };

/** The part of `Storage` used here (localStorage fits; tests pass a Map-backed one). */
export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * Hosts a plain-http server may have: the app's Content-Security-Policy (src/sw/security-headers.ts,
 * connect-src) lets the page reach http:// only on loopback; anything else must be https://.
 */
const LOOPBACK = new Set(['localhost', '127.0.0.1']);

function checkUri(raw: string): string | FieldError {
  const uri = raw.trim().replace(/\/+$/, '');
  const bad = (why: string): FieldError => ({ field: 'trackingUri', message: `tracking URI: ${why}` });
  if (uri === '') return bad('enter the server address, e.g. http://localhost:5000');
  if (!uri.includes('://')) return bad(`must start with http:// or https://, e.g. https://${uri}`);
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return bad(`"${raw.trim()}" is not a URL; write it like http://localhost:5000 or https://mlflow.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return bad(`must start with http:// or https://, not ${url.protocol}//`);
  if (url.username || url.password) return bad('must not carry a user name or password (browsers refuse such URLs): put credentials in the Authorization field');
  if (url.search || url.hash || /\s/.test(uri)) return bad('must be the server\'s base address, without "?", "#" or spaces');
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname))
    return bad(`plain http:// is allowed only for localhost or 127.0.0.1 (this app's security policy); use https:// for ${url.hostname}`);
  return uri;
}

/**
 * Checks settings as typed and returns them normalized (trimmed, no trailing slash), or every
 * field's problem in words a person can act on.
 * @example checkSettings({ trackingUri: 'http://localhost:5000/', experimentId: '0', authorization: '', autoLog: false })
 */
export function checkSettings(input: MlflowSettings): SettingsCheck {
  const errors: FieldError[] = [];
  const uri = checkUri(input.trackingUri);
  if (typeof uri !== 'string') errors.push(uri);
  const experimentId = input.experimentId.trim();
  if (experimentId === '') errors.push({ field: 'experimentId', message: 'experiment id: enter the id MLflow shows for the experiment (0 is the default one)' });
  else if (!/^[\w-]{1,256}$/.test(experimentId)) errors.push({ field: 'experimentId', message: `experiment id: "${experimentId}" is not an MLflow experiment id (letters, digits, "_" and "-" only, such as 0 or 1234567890)` });
  const authorization = input.authorization.trim();
  if (!/^[\x20-\x7E]{0,8192}$/.test(authorization)) errors.push({ field: 'authorization', message: 'Authorization: only printable ASCII characters on one line (such as "Bearer abc123"), at most 8192' });
  if (errors.length > 0 || typeof uri !== 'string') return { ok: false, errors };
  return { ok: true, settings: { trackingUri: uri, experimentId, authorization, autoLog: input.autoLog === true } };
}

/** The saved settings; null when none are saved, or the saved value is damaged or no longer valid. */
export function readSettings(store: KeyValueStore | undefined): MlflowSettings | null {
  let raw: string | null = null;
  try {
    raw = store?.getItem(MLFLOW_SETTINGS_KEY) ?? null;
  } catch {
    return null; // storage refused (sandboxed frame, disabled by the browser)
  }
  if (raw === null) return null;
  try {
    const v = JSON.parse(raw) as Partial<Record<keyof MlflowSettings, unknown>>;
    const text = (x: unknown) => (typeof x === 'string' ? x : '');
    const checked = checkSettings({ trackingUri: text(v.trackingUri), experimentId: text(v.experimentId), authorization: text(v.authorization), autoLog: v.autoLog === true });
    return checked.ok ? checked.settings : null;
  } catch {
    return null;
  }
}

/** Checks and saves the settings; nothing is written when they are invalid or storage refuses. */
export function writeSettings(store: KeyValueStore | undefined, input: MlflowSettings): SettingsCheck {
  const checked = checkSettings(input);
  if (!checked.ok) return checked;
  if (!store) return { ok: false, errors: [{ field: 'storage', message: 'this browser does not let the page keep settings (localStorage is unavailable here)' }] };
  try {
    store.setItem(MLFLOW_SETTINGS_KEY, JSON.stringify(checked.settings));
  } catch (e) {
    return { ok: false, errors: [{ field: 'storage', message: `the settings could not be kept in this browser: ${e instanceof Error ? e.message : String(e)}` }] };
  }
  return checked;
}

/** Forgets the saved settings (best effort). */
export function clearSettings(store: KeyValueStore | undefined): void {
  try {
    store?.removeItem(MLFLOW_SETTINGS_KEY);
  } catch {
    // nothing to forget where storage is refused
  }
}

/** The page's localStorage, or undefined where reading it throws (sandboxed frames). */
export function pageLocalStorage(): KeyValueStore | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}
