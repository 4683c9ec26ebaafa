// The page's MLflow settings and "already logged" reminders: what is accepted, the words of each
// refusal, and that a refused save or a damaged stored value never becomes the settings in use.
import { describe, expect, it } from 'vitest';
import { loggedOn, MLFLOW_LOGGED_KEY, readLogged, rememberLogged } from '../../src/editor/tracking/mlflow-logged.js';
import { checkSettings, clearSettings, MLFLOW_SETTINGS_KEY, readSettings, writeSettings, type KeyValueStore, type MlflowSettings } from '../../src/editor/tracking/mlflow-settings.js';

/** A Storage over a Map; `full` makes every write throw as a full localStorage does. */
function memoryStore(full = false): KeyValueStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => {
      if (full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      map.set(k, v);
    },
    removeItem: (k) => void map.delete(k),
  };
}

const GOOD: MlflowSettings = { trackingUri: ' http://localhost:5000/ ', experimentId: ' 0 ', authorization: ' Bearer abc ', autoLog: true };

describe('checkSettings', () => {
  it('normalizes good settings: trimmed, no trailing slash, path prefix kept', () => {
    expect(checkSettings(GOOD)).toEqual({ ok: true, settings: { trackingUri: 'http://localhost:5000', experimentId: '0', authorization: 'Bearer abc', autoLog: true } });
    const https = checkSettings({ ...GOOD, trackingUri: 'https://mlflow.example.com/tracking//' });
    expect(https.ok && https.settings.trackingUri).toBe('https://mlflow.example.com/tracking');
    expect(checkSettings({ ...GOOD, trackingUri: 'http://127.0.0.1:8080' }).ok).toBe(true);
  });

  it.each([
    ['', /enter the server address/],
    ['localhost:5000', /^tracking URI: must start with http:\/\/ or https:\/\/, e\.g\. https:\/\/localhost:5000$/],
    ['ftp://host', /must start with http:\/\/ or https:\/\//],
    ['http://not a url', /is not a URL/],
    ['http://user:pw@localhost:5000', /must not carry a user name or password/],
    ['http://localhost:5000/?x=1', /without "\?", "#" or spaces/],
    ['http://mlflow.internal:5000', /plain http:\/\/ is allowed only for localhost or 127\.0\.0\.1 .*use https:\/\/ for mlflow\.internal/],
  ])('refuses tracking URI %j', (uri, words) => {
    const r = checkSettings({ ...GOOD, trackingUri: uri });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.map((e) => e.field)).toEqual(['trackingUri']);
      expect(r.errors[0]!.message).toMatch(words);
    }
  });

  it('names every bad field at once', () => {
    const r = checkSettings({ trackingUri: 'x', experimentId: '  ', authorization: 'Bearer\nabc', autoLog: false });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.map((e) => e.field)).toEqual(['trackingUri', 'experimentId', 'authorization']);
      expect(r.errors[1]!.message).toBe('experiment id: enter the id MLflow shows for the experiment (0 is the default one)');
      expect(r.errors[2]!.message).toMatch(/printable ASCII characters on one line/);
    }
    const bad = checkSettings({ ...GOOD, experimentId: 'my exp' });
    expect(!bad.ok && bad.errors[0]!.message).toMatch(/"my exp" is not an MLflow experiment id/);
  });
});

describe('settings in storage', () => {
  it('round-trips under one versioned key, and forgets', () => {
    const store = memoryStore();
    expect(readSettings(store)).toBeNull();
    const w = writeSettings(store, GOOD);
    expect(w.ok).toBe(true);
    expect([...store.map.keys()]).toEqual([MLFLOW_SETTINGS_KEY]);
    expect(MLFLOW_SETTINGS_KEY).toMatch(/\.v1$/);
    expect(readSettings(store)).toEqual({ trackingUri: 'http://localhost:5000', experimentId: '0', authorization: 'Bearer abc', autoLog: true });
    clearSettings(store);
    expect(readSettings(store)).toBeNull();
  });

  it('writes nothing when the settings are invalid, keeping the saved ones', () => {
    const store = memoryStore();
    writeSettings(store, GOOD);
    const before = store.map.get(MLFLOW_SETTINGS_KEY);
    expect(writeSettings(store, { ...GOOD, experimentId: '' }).ok).toBe(false);
    expect(store.map.get(MLFLOW_SETTINGS_KEY)).toBe(before);
  });

  it('says so when storage refuses, or is missing', () => {
    const r = writeSettings(memoryStore(true), GOOD);
    expect(!r.ok && r.errors).toEqual([{ field: 'storage', message: 'the settings could not be kept in this browser: The quota has been exceeded.' }]);
    const none = writeSettings(undefined, GOOD);
    expect(!none.ok && none.errors[0]!.field).toBe('storage');
  });

  it('treats a damaged or no-longer-valid stored value as no settings', () => {
    const store = memoryStore();
    store.map.set(MLFLOW_SETTINGS_KEY, '{not json');
    expect(readSettings(store)).toBeNull();
    store.map.set(MLFLOW_SETTINGS_KEY, JSON.stringify({ trackingUri: 'http://evil.example', experimentId: '0' }));
    expect(readSettings(store)).toBeNull();
    store.map.set(MLFLOW_SETTINGS_KEY, JSON.stringify({ trackingUri: 'https://m.example', experimentId: 7 }));
    expect(readSettings(store)).toBeNull();
  });
});

describe('runs already logged', () => {
  const at = { trackingUri: 'http://localhost:5000', experimentId: '0' };
  it('remembers the MLflow run per local run, per server and experiment', () => {
    const store = memoryStore();
    expect(loggedOn(store, 'run-a', at)).toBeNull();
    rememberLogged(store, 'run-a', { mlflowRunId: 'm1', ...at, loggedAt: 1 });
    expect(loggedOn(store, 'run-a', at)).toEqual({ mlflowRunId: 'm1', ...at, loggedAt: 1 });
    expect(loggedOn(store, 'run-a', { ...at, experimentId: '5' })).toBeNull();
    expect(loggedOn(store, 'run-a', { ...at, trackingUri: 'https://other.example' })).toBeNull();
    rememberLogged(store, 'run-a', { mlflowRunId: 'm2', ...at, loggedAt: 2 });
    expect(readLogged(store).get('run-a')?.mlflowRunId).toBe('m2');
    expect(readLogged(store).size).toBe(1);
  });

  it('skips damaged entries and survives a damaged value', () => {
    const store = memoryStore();
    store.map.set(MLFLOW_LOGGED_KEY, JSON.stringify({ good: { mlflowRunId: 'm', trackingUri: 'u', experimentId: '0', loggedAt: 3 }, bad: { mlflowRunId: 5 } }));
    expect([...readLogged(store).keys()]).toEqual(['good']);
    store.map.set(MLFLOW_LOGGED_KEY, '[1,2');
    expect(readLogged(store).size).toBe(0);
    rememberLogged(memoryStore(true), 'x', { mlflowRunId: 'm', ...at, loggedAt: 1 }); // a full storage loses only the reminder
  });
});
