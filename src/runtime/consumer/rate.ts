/**
 * A consumer's message rate (pure): a ring of 30 ten-second buckets, so five minutes of history. A window's rate
 * is the messages of its buckets (the current, partly elapsed one included) divided by the time they cover — from
 * the start of the window's oldest bucket, or from when counting started if that is later, to now. A window is
 * thus 50–60 s (1 min) or 290–300 s (5 min) long, and a consumer 20 s old divides by 20 s.
 */

/** Length of one bucket. */
export const RATE_BUCKET_MS = 10_000;
/** Buckets kept: five minutes. */
export const RATE_BUCKETS = 30;

/** Per-second rates over the last minute and the last five minutes, to one decimal. */
export interface MessageRates {
  perSecond1m: number;
  perSecond5m: number;
}

/** Messages counted into ten-second buckets since `startedMs`; rates over sliding windows of them. */
export class MessageRate {
  /** Bucket number (ms / RATE_BUCKET_MS) each slot counts for; -1 when unused. */
  private readonly slots = new Array<number>(RATE_BUCKETS).fill(-1);
  private readonly counts = new Array<number>(RATE_BUCKETS).fill(0);

  constructor(private readonly startedMs: number) {}

  /** Counts `messages` handled at `nowMs`. */
  add(messages: number, nowMs: number): void {
    const bucket = Math.floor(nowMs / RATE_BUCKET_MS);
    const i = slotOf(bucket);
    if ((this.slots[i] as number) > bucket) return; // the clock went back by more than the ring holds
    if (this.slots[i] !== bucket) {
      this.slots[i] = bucket;
      this.counts[i] = 0;
    }
    this.counts[i] = (this.counts[i] as number) + messages;
  }

  /** Messages per second over the last `buckets` buckets (the current one included) at `nowMs`. */
  perSecond(buckets: number, nowMs: number): number {
    const current = Math.floor(nowMs / RATE_BUCKET_MS);
    const oldest = current - Math.min(buckets, RATE_BUCKETS) + 1;
    let messages = 0;
    for (let i = 0; i < RATE_BUCKETS; i++) {
      const b = this.slots[i] as number;
      if (b >= oldest && b <= current) messages += this.counts[i] as number;
    }
    const from = Math.max(oldest * RATE_BUCKET_MS, this.startedMs);
    const seconds = Math.max(nowMs - from, 1000) / 1000; // at least 1 s: a just-started consumer is not a spike
    return Math.round((messages / seconds) * 10) / 10;
  }

  /** The rates over the last minute and the last five minutes. */
  rates(nowMs: number): MessageRates {
    return { perSecond1m: this.perSecond(6, nowMs), perSecond5m: this.perSecond(RATE_BUCKETS, nowMs) };
  }
}

function slotOf(bucket: number): number {
  return ((bucket % RATE_BUCKETS) + RATE_BUCKETS) % RATE_BUCKETS;
}
