import { describe, expect, it } from 'vitest';
import { colorAllowed, logFormat, prettyDestination, prettyLine } from '../../../src/log-pretty.js';

const line = (rec: Record<string, unknown>) =>
  JSON.stringify({ level: 30, time: '2026-11-26T16:59:23.943Z', app: 'feedctl', ...rec });

describe('prettyLine', () => {
  it('writes time, level, subsystem, message, then the fields as key=value', () => {
    const out = prettyLine(
      line({ subsystem: 'reconciler', feed: 'orders', n: 3, ok: true, msg: 'plan applied' }),
    );
    expect(out).toBe('16:59:23.943 INFO  reconciler: plan applied feed=orders n=3 ok=true');
  });

  it('quotes strings that would not read as one word, and writes objects as JSON', () => {
    const out = prettyLine(line({ msg: 'm', note: 'two words', eq: 'a=b', empty: '', obj: { a: [1] } }));
    expect(out).toBe('16:59:23.943 INFO  m note="two words" eq="a=b" empty="" obj={"a":[1]}');
  });

  it('names every level and shows an error by its message, with its stack under error lines', () => {
    const err = { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x (y.js:1:2)' };
    expect(prettyLine(line({ level: 20, msg: 'd' }))).toBe('16:59:23.943 DEBUG d');
    expect(prettyLine(line({ level: 40, msg: 'w', err }))).toBe('16:59:23.943 WARN  w err="boom"');
    expect(prettyLine(line({ level: 50, subsystem: 'kafka', msg: 'e', err }))).toBe(
      '16:59:23.943 ERROR kafka: e err="boom"\n    Error: boom\n        at x (y.js:1:2)',
    );
    expect(prettyLine(line({ level: 60, msg: 'f' }))).toBe('16:59:23.943 FATAL f');
  });

  it('colors level, subsystem and keys when asked, and only then', () => {
    const out = prettyLine(line({ level: 50, subsystem: 'mysql', msg: 'x', k: 1 }), true);
    expect(out).toBe(
      '\u001b[2m16:59:23.943\u001b[0m \u001b[31mERROR\u001b[0m \u001b[36mmysql\u001b[0m: x \u001b[2mk=\u001b[0m1',
    );
    expect(prettyLine(line({ msg: 'x' }), false)).not.toContain('\u001b');
  });

  it('passes a line that is not pino JSON through unchanged', () => {
    expect(prettyLine('plain text')).toBe('plain text');
    expect(prettyLine('[1,2]')).toBe('[1,2]');
    expect(prettyLine('{broken')).toBe('{broken');
  });
});

describe('prettyDestination', () => {
  it('rewrites each line of a chunk, one output line per input line', () => {
    const written: string[] = [];
    const dest = prettyDestination({ write: (s: string) => void written.push(s) }, false);
    dest.write(`${line({ msg: 'a' })}\n${line({ msg: 'b' })}\n`);
    expect(written.join('')).toBe('16:59:23.943 INFO  a\n16:59:23.943 INFO  b\n');
  });
});

describe('logFormat and colorAllowed', () => {
  it('is pretty on a terminal and JSON otherwise, unless FEEDCTL_LOG_FORMAT forces one', () => {
    expect(logFormat({}, true)).toBe('pretty');
    expect(logFormat({}, false)).toBe('json');
    expect(logFormat({ FEEDCTL_LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormat({ FEEDCTL_LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
    expect(logFormat({ FEEDCTL_LOG_FORMAT: 'PRETTY' }, false)).toBe('pretty');
  });

  it('colors on a terminal unless NO_COLOR is set', () => {
    expect(colorAllowed({}, true)).toBe(true);
    expect(colorAllowed({}, false)).toBe(false);
    expect(colorAllowed({ NO_COLOR: '1' }, true)).toBe(false);
    expect(colorAllowed({ NO_COLOR: '' }, true)).toBe(true);
  });
});
