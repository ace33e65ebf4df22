/**
 * The bad-manifest corpus: every file under test/fixtures/manifests/bad documents its own expected diagnostics in
 * leading `# expect: LINE:COL: message` comments (message: a substring; warnings read `warning: …`). A fixture
 * folder is loaded as a whole (cross-file checks). Each file must produce exactly its expected diagnostics: one
 * per mistake, at the right place — no more, no fewer.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/errors.js';
import { loadFeeds } from '../../../src/feeds/load.js';

const BAD = 'test/fixtures/manifests/bad';

interface Expected {
  line: number;
  col: number;
  text: string;
}

function expectations(file: string): Expected[] {
  const lines = readFileSync(file, 'latin1').split('\n');
  return lines
    .filter((l) => l.startsWith('# expect: '))
    .map((l) => {
      const m = /^# expect: (\d+):(\d+): (.*)$/.exec(l);
      if (!m) throw new Error(`${file}: malformed expectation: ${l}`);
      return {
        line: Number(m[1]),
        col: Number(m[2]),
        text: Buffer.from(m[3] ?? '', 'latin1').toString('utf8'),
      };
    });
}

function shown(d: Diagnostic): string {
  return `${d.line}:${d.col}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`;
}

function manifestsIn(entry: string): string[] {
  if (!statSync(entry).isDirectory()) return [entry];
  return readdirSync(entry)
    .sort()
    .map((f) => path.join(entry, f));
}

const entries = readdirSync(BAD)
  .sort()
  .map((e) => path.join(BAD, e));

describe('bad manifest corpus', () => {
  it('has at least 40 cases', () => {
    expect(entries.length).toBeGreaterThanOrEqual(40);
  });

  it.each(entries)('%s', async (entry) => {
    const { feeds, diagnostics } = await loadFeeds([entry]);
    for (const file of manifestsIn(entry)) {
      const expected = expectations(file);
      const actual = diagnostics.filter((d) => d.file === file).map(shown);
      expect(expected.length, `${file} documents no expectation`).toBeGreaterThan(0);
      expect(actual, file).toHaveLength(expected.length);
      expected.forEach((e, i) => {
        const at = `${e.line}:${e.col}: `;
        expect(actual[i]?.slice(0, at.length), `${file}: ${actual[i]}`).toBe(at);
        expect(actual[i]?.slice(at.length), file).toContain(e.text);
      });
    }
    const hasError = diagnostics.some((d) => d.severity === 'error');
    expect(feeds.length === 0, 'a file with an error yields no feed').toBe(hasError);
  });
});
