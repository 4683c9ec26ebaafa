// Share links: a project (plus the best run's summary and small weights) as `#share=1.<payload>`,
// payload = base64url(deflate-raw(canonical JSON)). Decoding treats the link as hostile and checks,
// in order: fragment length, base64url, decompressed size (streamed, capped), JSON, the envelope
// schema, then the project parser (forbidden keys, strict schema, limits, version).
import { deflateSync } from 'fflate';
import { describeProjectError, formatPath, parseProject, type ProjectError } from '../project/parse.js';
import type { Project } from '../project/types.js';
import { fromUtf8, utf8 } from '../export/tfjs/utf8.js';
import { fromBase64Url, toBase64Url } from './base64url.js';
import { envelopeSchema, findForbiddenKey, LINK_BUDGET_BYTES, MAX_FRAGMENT_CHARS, MAX_INFLATED_BYTES, SHARE_KEY, SHARE_VERSION, type SharedBestRun } from './envelope.js';
import { inflateCapped } from './inflate-capped.js';

export interface ShareExtras {
  readonly bestRun?: SharedBestRun;
  /** Opaque weight bytes (the page packs them); kept only while the whole link fits the budget. */
  readonly weights?: Uint8Array;
}

/** `withWeightsBytes`: when weights were given but left out, how long the link with them would have been. */
export type EncodeResult =
  | { readonly ok: true; readonly fragment: string; readonly bytes: number; readonly weightsDropped: boolean; readonly withWeightsBytes?: number }
  | { readonly ok: false; readonly reason: 'too-large'; readonly bytes: number; readonly withWeightsBytes?: number };

export type ShareErrorCode =
  | 'not-a-share-link'
  | 'too-large'
  | 'bad-encoding'
  | 'bad-compression'
  | 'too-large-decompressed'
  | 'not-json'
  | 'newer-version'
  | 'hostile'
  | 'invalid';

export interface ShareError {
  readonly code: ShareErrorCode;
  /** Where in the link or its document (`fragment`, `payload`, `project.graph.nodes[3].params.__proto__`). */
  readonly where: string;
  /** One line for a person, starting with "share link:". */
  readonly message: string;
}

export interface ShareEnvelope {
  readonly version: number;
  readonly project: Project;
  /** The link's project was an older format version, upgraded on read. */
  readonly migratedFrom: number | null;
  readonly bestRun?: SharedBestRun;
  readonly weights?: Uint8Array;
}

export type DecodeResult = { readonly ok: true; readonly envelope: ShareEnvelope } | { readonly ok: false; readonly error: ShareError };

const PREFIX = `#${SHARE_KEY}=`;

/** JSON with object keys sorted at every level, so the same project always makes the same link. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v)) return v;
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  });
}

function fragmentFor(body: Record<string, unknown>): string {
  const deflated = deflateSync(utf8(canonicalJson(body)), { level: 9, mem: 8 });
  return `${PREFIX}${SHARE_VERSION}.${toBase64Url(deflated)}`;
}

/**
 * A link fragment for `project`. Weights are kept only if the whole fragment stays within
 * LINK_BUDGET_BYTES (8 KiB); without them, a project above the budget is `too-large` (offer a file).
 * @example encodeShare(findTemplate('mlp')!.project()) // → { ok: true, fragment: '#share=1.…', bytes: 1234, weightsDropped: false }
 */
export function encodeShare(project: Project, extras: ShareExtras = {}): EncodeResult {
  const base: Record<string, unknown> = { project, ...(extras.bestRun ? { bestRun: extras.bestRun } : {}) };
  let dropped: { withWeightsBytes: number } | Record<string, never> = {};
  if (extras.weights) {
    const withWeights = fragmentFor({ ...base, weights: toBase64Url(extras.weights) });
    if (withWeights.length <= LINK_BUDGET_BYTES) return { ok: true, fragment: withWeights, bytes: withWeights.length, weightsDropped: false };
    dropped = { withWeightsBytes: withWeights.length };
  }
  const fragment = fragmentFor(base);
  if (fragment.length > LINK_BUDGET_BYTES) return { ok: false, reason: 'too-large', bytes: fragment.length, ...dropped };
  return { ok: true, fragment, bytes: fragment.length, weightsDropped: extras.weights !== undefined, ...dropped };
}

/** True when `hash` (with or without `#`) is a share link, however broken its payload. */
export function isShareFragment(hash: string): boolean {
  return hash.replace(/^#?/, '#').startsWith(PREFIX);
}

const fail = (code: ShareErrorCode, where: string, what: string): DecodeResult => ({
  ok: false,
  error: { code, where, message: `share link: ${where ? `${where}: ` : ''}${what}` },
});

const grouped = (n: number): string => n.toLocaleString('en-US');

function projectFailure(e: ProjectError): DecodeResult {
  const where = e.path ? `project.${e.path}` : 'project';
  const code = e.code === 'hostile' || e.code === 'newer-version' ? e.code : 'invalid';
  return fail(code, where, describeProjectError({ ...e, path: '' }));
}

/**
 * Reads a link fragment (`#share=1.…`, or without the `#`) as untrusted input. Nothing is
 * decompressed when the fragment is over MAX_FRAGMENT_CHARS, and inflation stops at MAX_INFLATED_BYTES.
 * @example decodeShare(location.hash) // → { ok: true, envelope: { project, … } } or { ok: false, error: { code, where, message } }
 */
export function decodeShare(fragment: string): DecodeResult {
  // 1. size, before anything is read
  if (fragment.length > MAX_FRAGMENT_CHARS)
    return fail('too-large', 'fragment', `the link is ${grouped(fragment.length)} characters long; links over ${grouped(MAX_FRAGMENT_CHARS)} are refused unread`);
  const hash = fragment.replace(/^#?/, '#');
  if (!hash.startsWith(PREFIX)) return fail('not-a-share-link', 'fragment', `a share link starts with "${PREFIX}"`);
  const rest = hash.slice(PREFIX.length);
  const dot = rest.indexOf('.');
  const versionText = dot < 0 ? '' : rest.slice(0, dot);
  if (!/^[1-9][0-9]{0,5}$/.test(versionText)) return fail('invalid', 'version', `expected "${PREFIX}<version>.<data>"; the version is missing or not a number`);
  const version = Number(versionText);
  if (version > SHARE_VERSION)
    return fail('newer-version', 'version', `made by a newer NeuralForge (share link version ${version}; this one reads up to ${SHARE_VERSION}). Update the app to open it.`);
  const decoded = fromBase64Url(rest.slice(dot + 1));
  if (!decoded.ok) return fail('bad-encoding', 'payload', decoded.message);
  // 2. decompressed size, counted while inflating
  const inflated = inflateCapped(decoded.bytes, MAX_INFLATED_BYTES);
  if (!inflated.ok) {
    if (inflated.code === 'too-large')
      return fail('too-large-decompressed', 'payload', `decompressed size exceeds ${MAX_INFLATED_BYTES / 1024 / 1024} MiB at byte ${grouped(inflated.at)}`);
    return fail('bad-compression', 'payload', `the data is not valid deflate (${inflated.message})`);
  }
  // 3. JSON, then the envelope's own fields, then the project (forbidden keys, schema, limits, version)
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8(inflated.bytes));
  } catch (e) {
    return fail('not-json', 'payload', `not valid JSON text (${e instanceof Error ? e.message : String(e)})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail('invalid', 'payload', 'the payload must be a JSON object');
  // The envelope is a few small fields (nesting ≤ 3 levels); its `project` is scanned by parseProject.
  const forbidden = findForbiddenKey({ ...value, project: null }, '');
  if (forbidden) return fail('hostile', forbidden, `the key "${forbidden.split('.').pop()!}" is not allowed`);
  const env = envelopeSchema.safeParse(value);
  if (!env.success) {
    const issue = env.error.issues[0]!;
    const where = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys')
      return fail('invalid', where || 'payload', `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`);
    return fail('invalid', where || 'payload', issue.message);
  }
  const parsed = parseProject(env.data.project);
  if (!parsed.ok) return projectFailure(parsed.error);
  let weights: Uint8Array | undefined;
  if (env.data.weights !== undefined) {
    const w = fromBase64Url(env.data.weights);
    if (!w.ok) return fail('bad-encoding', 'weights', w.message);
    weights = w.bytes;
  }
  return {
    ok: true,
    envelope: {
      version,
      project: parsed.project,
      migratedFrom: parsed.migratedFrom,
      ...(env.data.bestRun ? { bestRun: env.data.bestRun } : {}),
      ...(weights ? { weights } : {}),
    },
  };
}
