/** Topic config values beyond what the JSON Schema can say: integers written as strings, 64-bit limits. */
import { describe, expect, it } from 'vitest';
import { configValueProblem } from '../../../src/feeds/topic-configs.js';

describe('configValueProblem', () => {
  it.each([
    ['retention.ms', '-1', null],
    ['retention.ms', -1, null],
    ['retention.ms', '-2', 'must be between -1 and 9223372036854775807'],
    ['retention.ms', '9223372036854775807', null],
    ['retention.ms', '9223372036854775808', 'must be between -1 and 9223372036854775807'],
    ['retention.ms', 2 ** 53 + 2, 'quote it as a string'],
    ['retention.ms', '7d', 'must be an integer'],
    ['segment.bytes', '2147483648', 'must be between 14 and 2147483647'],
    ['min.cleanable.dirty.ratio', 0.5, null],
    ['min.cleanable.dirty.ratio', '1.5', 'must be a number between 0 and 1'],
    ['preallocate', true, null],
    ['preallocate', 'TRUE', 'must be true or false'],
    ['cleanup.policy', 'compact,delete', null],
    ['message.timestamp.type', 'createtime', 'must be one of: CreateTime, LogAppendTime'],
    ['leader.replication.throttled.replicas', '0:1,1:2', null],
  ] as const)('%s = %j', (name, value, problem) => {
    const actual = configValueProblem(name, value);
    if (problem === null) expect(actual).toBeNull();
    else expect(actual).toContain(problem);
  });
});
