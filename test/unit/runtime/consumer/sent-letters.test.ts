import { describe, expect, it } from 'vitest';
import { SentLetters } from '../../../../src/runtime/consumer/sent-letters.js';

const letter = (partition: number, offset: number) => ({ message: { partition, offset } });

describe('dead letters already sent', () => {
  it('are not sent again when a batch is processed again, until the durable offset passes them', () => {
    const sent = new SentLetters();
    sent.add([letter(0, 3), letter(0, 7), letter(1, 3)]);
    expect(sent.unsent([letter(0, 3), letter(0, 4), letter(0, 7), letter(1, 3), letter(1, 4)])).toEqual([
      letter(0, 4),
      letter(1, 4),
    ]);
    sent.prune(0, 5);
    expect(sent.unsent([letter(0, 3), letter(0, 7)])).toEqual([letter(0, 3)]);
    sent.forget(1);
    expect(sent.unsent([letter(1, 3)])).toEqual([letter(1, 3)]);
  });
});
