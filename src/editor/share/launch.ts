// How the page was opened: a share link in the fragment and/or `?embed=1`. Read once, before the
// hash router replaces fragments it does not know, and kept in memory for the page's life.
import { decodeShare, isShareFragment, type DecodeResult } from '../../engine/share/index.js';

export interface EmbedOptions {
  /** Epochs the embed's Train button runs (default: the project's own). */
  readonly epochs: number | null;
  /** Train on the first N samples only (keeps a demo in a blog post short). */
  readonly samples: number | null;
}

export interface Launch {
  /** The decoded link, or null when the page was opened without one. */
  readonly share: DecodeResult | null;
  /** `?embed=1`: canvas and Train button only. */
  readonly embed: EmbedOptions | null;
}

const positiveInt = (s: string | null, max: number): number | null => {
  if (s === null || !/^[1-9][0-9]{0,6}$/.test(s)) return null;
  return Math.min(Number(s), max);
};

/**
 * Reads `location` (hash and query) without changing it. Decoding happens here, so a hostile
 * link is judged before anything else on the page runs or stores a thing.
 * @example readLaunch({ hash: '#share=1.…', search: '?embed=1' }) // → { share: { ok: true, … }, embed: { … } }
 */
export function readLaunch(location: { readonly hash: string; readonly search: string }): Launch {
  const query = new URLSearchParams(location.search);
  const embed = query.get('embed') === '1' ? { epochs: positiveInt(query.get('epochs'), 1000), samples: positiveInt(query.get('samples'), 1_000_000) } : null;
  const share = isShareFragment(location.hash) ? decodeShare(location.hash) : null;
  return { share, embed };
}

/** The link a person copies: this page's address without query, with the fragment. */
export function shareUrl(location: { readonly origin: string; readonly pathname: string }, fragment: string): string {
  return `${location.origin}${location.pathname}${fragment}`;
}
