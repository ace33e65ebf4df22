/**
 * Golden files: `expectGolden('plan.txt', text)` compares with test/golden/plan.txt; run with UPDATE_GOLDEN=1 to
 * (re)write the file after reviewing the change.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

const DIR = path.resolve(import.meta.dirname, '..', 'golden');

export function expectGolden(name: string, actual: string): void {
  const file = path.join(DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  if (!existsSync(file)) throw new Error(`missing golden file ${file}: run with UPDATE_GOLDEN=1`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
