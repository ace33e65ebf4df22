/**
 * Data paths back to source positions: values, keys, items of flow and block sequences, aliases, empty values,
 * missing paths (nearest present ancestor's key) and alternatives (first present path); and how paths read.
 */
import { LineCounter, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { formatPath } from '../../../src/feeds/issue.js';
import { locate, type SourceDoc } from '../../../src/feeds/positions.js';
import { toPath } from '../../../src/feeds/shape.js';

const TEXT = `# comment
metadata:
  name: orders
  labels: {team: growth}
spec:
  fields:
    - {name: a, type: int}
    - name: b
      type: &t string
  again: *t
  empty:
`;

function source(text: string): SourceDoc {
  const lines = new LineCounter();
  return { doc: parseDocument(text, { lineCounter: lines }), lines };
}

describe('locate', () => {
  const src = source(TEXT);

  it.each([
    [['metadata', 'name'], 'value', { line: 3, col: 9 }],
    [['metadata', 'name'], 'key', { line: 3, col: 3 }],
    [['metadata', 'labels', 'team'], 'value', { line: 4, col: 18 }],
    [['spec', 'fields', 0, 'type'], 'value', { line: 7, col: 23 }],
    [['spec', 'fields', 1, 'type'], 'value', { line: 9, col: 16 }],
    [['spec', 'fields', 1], 'key', { line: 8, col: 7 }],
    [['spec', 'again'], 'value', { line: 10, col: 10 }],
    [['spec', 'empty'], 'value', { line: 11, col: 3 }],
    [['spec', 'fields', 5, 'name'], 'value', { line: 6, col: 3 }],
    [['nowhere'], 'value', { line: 2, col: 1 }],
    [[], 'value', { line: 2, col: 1 }],
  ] as const)('%j (%s) → %j', (at, target, expected) => {
    expect(locate(src, at, target)).toEqual(expected);
  });

  it('uses the first alternative present in the file', () => {
    expect(
      locate(
        src,
        [
          ['spec', 'topic', 'name'],
          ['metadata', 'name'],
        ],
        'value',
      ),
    ).toEqual({ line: 3, col: 9 });
  });
});

describe('paths', () => {
  it('reads ajv instance paths, unescaping ~1 and ~0', () => {
    expect(toPath('/spec/topic/configs/a~1b~0c/0')).toEqual(['spec', 'topic', 'configs', 'a/b~c', 0]);
    expect(toPath('')).toEqual([]);
  });

  it('writes paths as people do', () => {
    expect(formatPath(['spec', 'schema', 'fields', 2, 'name'])).toBe('spec.schema.fields[2].name');
    expect(formatPath(['spec', 'topic', 'configs', 'retention.ms'])).toBe(
      'spec.topic.configs["retention.ms"]',
    );
    expect(formatPath([])).toBe('manifest');
  });
});
