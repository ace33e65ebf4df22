/**
 * A consumer's dead letters: sends them through the feed's DeadLetterWriter and remembers which messages of a
 * partition already have an acknowledged letter, so a batch processed again — after a retried warehouse
 * transaction, or a partition reset that re-reads from the durable offset — does not write them twice. The memory
 * is kept across resets and dropped on revocation (a new owner may repeat a letter: dead-letter delivery is
 * at-least-once, and the `feedctl.original.*` headers identify repeats); offsets below the durable one are pruned.
 */
import type { DeadLetter } from '../dlq/headers.js';
import type { DeadLetterWriter } from '../dlq/writer.js';

interface Coordinates {
  message: { partition: number; offset: number };
}

/** Runs one attempt of a step, or retries it (the consumer's policy). */
export type Attempt = <T>(fn: () => Promise<T>) => Promise<T>;

export class SentLetters {
  private readonly sent = new Map<number, Set<number>>();

  /** The letters not sent yet. */
  unsent<T extends Coordinates>(letters: T[]): T[] {
    return letters.filter((l) => !this.sent.get(l.message.partition)?.has(l.message.offset));
  }

  add(letters: Coordinates[]): void {
    for (const { message: m } of letters) {
      let set = this.sent.get(m.partition);
      if (!set) this.sent.set(m.partition, (set = new Set()));
      set.add(m.offset);
    }
  }

  /** Everything below `durable` is committed: its letters can never be needed again. */
  prune(partition: number, durable: number): void {
    const set = this.sent.get(partition);
    if (!set) return;
    for (const offset of set) if (offset < durable) set.delete(offset);
    if (set.size === 0) this.sent.delete(partition);
  }

  forget(partition: number): void {
    this.sent.delete(partition);
  }
}

/** Sends a consumer's dead letters once each. */
export class DeadLetters extends SentLetters {
  constructor(
    private readonly writer: DeadLetterWriter,
    /** Told of the letters each send handled (acknowledged, or skipped when the topic is disabled). */
    private readonly counted: (letters: DeadLetter[]) => void,
  ) {
    super();
  }

  /** Sends the letters not sent yet, through `attempt`; resolves once the broker acknowledged them. */
  async send(letters: DeadLetter[], attempt: Attempt): Promise<void> {
    const unsent = this.unsent(letters);
    if (unsent.length === 0) return;
    await attempt(() => this.writer.send(unsent));
    this.add(unsent);
    this.counted(unsent);
  }
}
