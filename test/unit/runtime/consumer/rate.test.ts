import { describe, expect, it } from 'vitest';
import { MessageRate } from '../../../../src/runtime/consumer/rate.js';

/** A start on a bucket boundary, so the windows below are exact. */
const T0 = 1_800_000_000_000;
const s = (seconds: number) => T0 + seconds * 1000;

describe('message rate from ten-second buckets', () => {
  it('is 0 before any message', () => {
    const r = new MessageRate(T0);
    expect(r.rates(T0)).toEqual({ perSecond1m: 0, perSecond5m: 0 });
    expect(r.rates(s(400))).toEqual({ perSecond1m: 0, perSecond5m: 0 });
  });

  it('divides by the time since the start while a window has not elapsed', () => {
    const r = new MessageRate(T0);
    r.add(100, s(5));
    r.add(100, s(15));
    // 20 s old: 200 messages / 20 s, for both windows.
    expect(r.rates(s(20))).toEqual({ perSecond1m: 10, perSecond5m: 10 });
    // A start between bucket boundaries counts from the start, not from the bucket.
    const late = new MessageRate(s(7));
    late.add(30, s(9));
    expect(late.rates(s(10))).toEqual({ perSecond1m: 10, perSecond5m: 10 });
  });

  it('counts a just-started consumer over at least one second', () => {
    const r = new MessageRate(T0);
    r.add(5, s(0.1));
    expect(r.rates(s(0.2))).toEqual({ perSecond1m: 5, perSecond5m: 5 });
  });

  it('slides over full windows and rounds to one decimal', () => {
    const r = new MessageRate(T0);
    for (let t = 0; t < 600; t += 1) r.add(7, s(t)); // 7 per second for 10 minutes
    expect(r.rates(s(600))).toEqual({ perSecond1m: 7, perSecond5m: 7 });
    // Mid-bucket: the 1-minute window covers 55 s (its oldest bucket starts 55 s ago), 5 minutes 295 s.
    const mid = new MessageRate(T0);
    for (let t = 0; t < 605; t += 1) mid.add(1, s(t));
    mid.add(10, s(604)); // 10 more in the current bucket
    expect(mid.rates(s(605))).toEqual({
      perSecond1m: Math.round(((55 + 10) / 55) * 10) / 10, // 1.2
      perSecond5m: Math.round(((295 + 10) / 295) * 10) / 10, // 1.0
    });
  });

  it('forgets buckets older than the window', () => {
    const r = new MessageRate(T0);
    r.add(600, s(1)); // a burst at the start
    expect(r.rates(s(59))).toEqual({ perSecond1m: 10.2, perSecond5m: 10.2 });
    // 70 s later the burst is out of the 1-minute window but still in the 5-minute one (600 / 70 s).
    expect(r.rates(s(70))).toEqual({ perSecond1m: 0, perSecond5m: 8.6 });
    // After five minutes it is gone from both.
    expect(r.rates(s(300))).toEqual({ perSecond1m: 0, perSecond5m: 0 });
    // The burst's slot, reused 30 buckets later, starts from zero: 50 / 50 s and 50 / 290 s, not 650.
    r.add(50, s(300 + 1));
    expect(r.rates(s(310))).toEqual({ perSecond1m: 1, perSecond5m: 0.2 });
  });
});
