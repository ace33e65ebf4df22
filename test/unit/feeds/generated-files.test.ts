/**
 * schemas/feed.schema.json and docs/manifest.md are generated from src/feeds/schema.ts; this fails when a committed
 * copy is stale. Fix with `npm run docs` (or `UPDATE_GOLDEN=1 npx vitest run test/unit/feeds/generated-files.test.ts`).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../../src/feeds/gen-docs.js';

const files = await generatedFiles();

describe('files generated from the manifest schema', () => {
  it.each(files.map((f) => [f.path, f.text]))('%s is up to date (npm run docs)', (file, text) => {
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    expect(readFileSync(file, 'utf8'), `${file} is stale: run npm run docs`).toBe(text);
  });

  it('documents every field of the schema', () => {
    const docs = files.find((f) => f.path === 'docs/manifest.md')?.text ?? '';
    for (const key of [
      'apiVersion',
      'replicationFactor',
      'retention.ms',
      'eventTime',
      'idleSeconds',
      'autoDelete',
    ]) {
      expect(docs).toContain(`| \`${key}\` |`);
    }
  });
});
