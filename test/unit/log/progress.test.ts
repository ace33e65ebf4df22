import { describe, expect, it } from 'vitest';
import { countText, createProgress, type ProgressStream } from '../../../src/progress.js';

function fakeStream(isTTY: boolean): ProgressStream & { out: string[] } {
  const out: string[] = [];
  return { isTTY, out, write: (s: string) => out.push(s) };
}

function clock(): { now: () => number; advance(ms: number): void } {
  let t = 0;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe('createProgress', () => {
  it('draws one updating line on a terminal, at most 10 times a second', () => {
    const stream = fakeStream(true);
    const c = clock();
    const p = createProgress('sampling orders', { total: 10, stream, now: c.now, env: {} });
    p.tick();
    p.tick(); // same instant: throttled
    c.advance(99);
    p.tick(); // 99 ms later: still throttled
    c.advance(1);
    p.tick(2);
    p.done('5 messages');
    expect(stream.out).toEqual([
      '\r\u001b[2Ksampling orders: 1/10 (10%)',
      '\r\u001b[2Ksampling orders: 5/10 (50%)',
      '\r\u001b[2Ksampling orders: 5 messages\n',
    ]);
  });

  it('ends with the count when done has no summary, once', () => {
    const stream = fakeStream(true);
    const p = createProgress('import', { stream, now: () => 0, env: {} });
    p.done();
    p.done('again');
    p.tick();
    expect(stream.out).toEqual(['\r\u001b[2Kimport: 0\n']);
  });

  it.each([
    ['not a terminal', false, {}],
    ['CI is set', true, { CI: 'true' }],
    ['FEEDCTL_NO_PROGRESS is set', true, { FEEDCTL_NO_PROGRESS: '1' }],
  ])('is silent when %s', (_why, isTTY, env) => {
    const stream = fakeStream(isTTY);
    const p = createProgress('x', { total: 3, stream, now: () => 1000, env });
    p.tick();
    p.done('finished');
    expect(stream.out).toEqual([]);
  });
});

describe('countText', () => {
  it('shows the percentage of a known total, capped at 100', () => {
    expect(countText(3)).toBe('3');
    expect(countText(1, 3)).toBe('1/3 (33%)');
    expect(countText(7, 5)).toBe('7/5 (100%)');
  });
});
