// Golden diagnostics: each fixture is a project and the exact diagnostics (code, node,
// words) a person must see for it. Add a fixture for every diagnostic bug you fix.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { parseProject } from '../../src/engine/project/parse.js';

const dir = join(import.meta.dirname, '../fixtures/diagnostics');

describe('diagnostics golden fixtures', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  it('has fixtures', () => expect(files.length).toBeGreaterThan(5));
  for (const f of files) {
    const fixture = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { description: string; project: unknown; expected: unknown[] };
    it(`${f}: ${fixture.description}`, () => {
      const parsed = parseProject(fixture.project);
      if (!parsed.ok) throw new Error(`fixture does not parse: ${parsed.error.path}: ${parsed.error.message}`);
      expect(analyzeGraph(parsed.project.graph).diagnostics).toEqual(fixture.expected);
    });
  }
});
