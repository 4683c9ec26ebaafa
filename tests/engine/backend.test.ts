// Backend choice in Node: a dry-run step proves the chosen backend can train the model, a
// backend missing a kernel is skipped with every missing kernel named, and WebGPU through
// Dawn reports SwiftShader as a software adapter (or, without a driver, says how to get one).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/engine/compile/compile.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { candidateOrder, describeSkip, softwareWarning, type BackendReport } from '../../src/engine/runtime/backend.js';
import { chooseNodeBackend } from '../../src/engine/runtime/backend-node.js';
import { findTemplate } from '../../src/engine/templates/index.js';

const build = (template: string) => {
  const analysis = analyzeGraph(findTemplate(template)!.project().graph);
  return () => compileGraph(analysis, { seed: 1 }).model;
};

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

function chooseInChild(pref: string, template: string, env: Record<string, string>): BackendReport {
  const child = join(import.meta.dirname, '../helpers/choose-backend-child.ts');
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'VK_ICD_FILENAMES' && k !== 'LD_LIBRARY_PATH'));
  const out = execFileSync(process.execPath, ['--import', 'tsx', child, pref, template], { env: { ...clean, ...env }, encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out.split('\n@@')[1]!) as BackendReport;
}

describe('backend choice (Node)', () => {
  it('tries the pick first, then the automatic order', () => {
    expect(candidateOrder('auto')).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect(candidateOrder('wasm')).toEqual(['wasm', 'webgpu', 'webgl', 'cpu']);
  });

  it('trains the MLP on wasm when asked (dense kernels are all there)', async () => {
    const { report } = await chooseNodeBackend('wasm', build('mlp'));
    expect(report.backend).toBe('wasm');
    expect(report.skipped).toEqual([]);
    expect(report.timings.dryRunMs).toBeGreaterThan(0);
  });

  it('skips wasm for LeNet-5 (no Conv2DBackpropFilter) and says why, before any training', async () => {
    const { report } = await chooseNodeBackend('wasm', build('lenet5'));
    expect(report.backend).toBe('cpu');
    expect(report.skipped.map((s) => [s.backend, s.reason.code])).toEqual([
      ['wasm', 'missing-kernels'],
      ['webgpu', 'no-webgpu-api'],
      ['webgl', 'not-registered'],
    ]);
    const wasm = report.skipped[0]!;
    expect(wasm.reason).toEqual({ code: 'missing-kernels', kernels: ['Conv2DBackpropFilter'] });
    expect(wasm.message).toBe('wasm cannot train this model: no Conv2DBackpropFilter kernel');
    expect(softwareWarning(report)).toBeNull();
  });

  it('words every skip reason for a person', () => {
    expect(describeSkip('webgpu', { code: 'no-adapter', hint: 'set VK_ICD_FILENAMES' })).toBe('WebGPU found no GPU adapter (set VK_ICD_FILENAMES)');
    expect(describeSkip('wasm', { code: 'missing-kernels', kernels: ['A', 'B'] })).toBe('wasm cannot train this model: no A, B kernels');
    expect(describeSkip('webgl', { code: 'webgl-unavailable', message: 'no OffscreenCanvas in this worker' })).toBe('WebGL is not available here (no OffscreenCanvas in this worker)');
    expect(describeSkip('webgpu', { code: 'software-adapter', adapter: 'swiftshader' })).toBe(
      'webgpu would run on a software GPU (swiftshader), which is slower than the CPU backends on the same processor; pick webgpu to use it anyway',
    );
  });

  it.skipIf(!existsSync(SWIFTSHADER_ICD))('finds SwiftShader through Dawn with the chromium ICD, as a software adapter', () => {
    const report = chooseInChild('webgpu', 'lenet5', { LD_LIBRARY_PATH: '/usr/lib/chromium', VK_ICD_FILENAMES: SWIFTSHADER_ICD });
    expect(report.backend).toBe('webgpu');
    expect(report.adapter?.architecture).toBe('swiftshader');
    expect(report.softwareAdapter).toBe(true);
    expect(softwareWarning(report)).toMatch(/software GPU \(swiftshader\)/);
  });

  it('without a Vulkan driver for Dawn, skips webgpu with the fix, or uses the GPU it found', () => {
    const report = chooseInChild('webgpu', 'mlp', { VK_ICD_FILENAMES: '/nonexistent/icd.json' });
    if (report.backend === 'webgpu') {
      expect(report.adapter).not.toBeNull();
    } else {
      expect(report.skipped[0]).toMatchObject({ backend: 'webgpu', reason: { code: 'no-adapter' } });
      expect(report.skipped[0]!.message).toContain('VK_ICD_FILENAMES');
      expect(report.backend).toBe('wasm');
    }
  });
});
