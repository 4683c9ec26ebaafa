// The page-side helpers of share links: how a page load is read (link, embed options) and which
// stored run a link reports.
import { describe, expect, it } from 'vitest';
import { bestRunSummary, type RunLike } from '../../src/editor/share/best-run.js';
import { readLaunch, shareUrl } from '../../src/editor/share/launch.js';
import { encodeShare } from '../../src/engine/share/index.js';
import { findTemplate } from '../../src/engine/templates/index.js';

describe('readLaunch', () => {
  const link = encodeShare(findTemplate('lenet5')!.project());
  if (!link.ok) throw new Error('lenet5 does not fit a link');

  it('decodes a share link and reads embed options from the query', () => {
    const l = readLaunch({ hash: link.fragment, search: '?embed=1&epochs=2&samples=256' });
    expect(l.share?.ok && l.share.envelope.project.name).toBe('LeNet-5 on MNIST');
    expect(l.embed).toEqual({ epochs: 2, samples: 256 });
  });
  it('ignores routes, other queries and malformed numbers', () => {
    expect(readLaunch({ hash: '#/runs', search: '' })).toEqual({ share: null, embed: null });
    expect(readLaunch({ hash: '', search: '?embed=0' }).embed).toBeNull();
    expect(readLaunch({ hash: '', search: '?embed=1&epochs=-3&samples=1e9' }).embed).toEqual({ epochs: null, samples: null });
  });
  it('reports a broken link as an error, not as no link', () => {
    const l = readLaunch({ hash: '#share=1.%%%', search: '' });
    expect(l.share?.ok).toBe(false);
  });
  it('builds the copyable URL without the query', () => {
    expect(shareUrl({ origin: 'https://nf.example', pathname: '/app/' }, '#share=1.abc')).toBe('https://nf.example/app/#share=1.abc');
  });
});

describe('bestRunSummary', () => {
  it('picks the completed run with the best validation accuracy and keeps only plain finite metrics', () => {
    const runs: RunLike[] = [
      { status: 'completed', epochs: 2, finalMetrics: { valAccuracy: 0.91, loss: 0.3 } },
      { status: 'failed', epochs: 1, finalMetrics: { valAccuracy: 0.99 } },
      { status: 'completed', epochs: 5, finalMetrics: { valAccuracy: 0.95, loss: 0.2, 'bad key': 1, nanMetric: Number.NaN } },
    ];
    expect(bestRunSummary(runs)).toEqual({ metrics: { valAccuracy: 0.95, loss: 0.2 }, epochs: 5 });
  });
  it('falls back to the lowest loss, and to nothing without completed runs', () => {
    expect(bestRunSummary([{ status: 'completed', epochs: 1, finalMetrics: { loss: 0.5 } }, { status: 'completed', epochs: 2, finalMetrics: { loss: 0.4 } }])?.epochs).toBe(2);
    expect(bestRunSummary([{ status: 'stopped', epochs: 1, finalMetrics: { loss: 0.5 } }])).toBeUndefined();
  });
});
