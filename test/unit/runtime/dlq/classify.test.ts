import {
  KafkaJSConnectionError,
  KafkaJSError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSRequestTimeoutError,
} from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { classifySendError } from '../../../../src/runtime/dlq/classify.js';

/** kafkajs' own error for a broker error code (the table in kafkajs/src/protocol/error.js). */
function protocolError(type: string, retriable: boolean): Error {
  return new KafkaJSProtocolError({ type, retriable, message: type, code: 0 } as never);
}

/** What kafkajs' retrier throws once it gives up on `cause`. */
function retriesExceeded(cause: Error): Error {
  return new KafkaJSNumberOfRetriesExceeded(cause, { retryCount: 5, retryTime: 1000 });
}

describe('classifySendError', () => {
  it.each([
    ['MESSAGE_TOO_LARGE', protocolError('MESSAGE_TOO_LARGE', false)],
    ['RECORD_LIST_TOO_LARGE', protocolError('RECORD_LIST_TOO_LARGE', false)],
  ])('%s is a size refusal', (_name, err) => {
    expect(classifySendError(err)).toBe('size');
  });

  it.each([
    ['connection refused', new KafkaJSConnectionError('Connection error: connect ECONNREFUSED')],
    ['request timed out', new KafkaJSRequestTimeoutError('Request Produce(key: 0, version: 7) timed out')],
    ['producer disconnected', new KafkaJSError('The producer is disconnected')],
    ['not leader', protocolError('NOT_LEADER_FOR_PARTITION', true)],
    ['leader not available', protocolError('LEADER_NOT_AVAILABLE', true)],
    ['unknown topic, after retries', retriesExceeded(protocolError('UNKNOWN_TOPIC_OR_PARTITION', true))],
    ['connection refused, after retries', retriesExceeded(new KafkaJSConnectionError('ECONNREFUSED'))],
  ])('%s is transient', (_name, err) => {
    expect(classifySendError(err)).toBe('transient');
  });

  it.each([
    ['invalid record', protocolError('INVALID_RECORD', false)],
    ['topic authorization', protocolError('TOPIC_AUTHORIZATION_FAILED', false)],
    ['policy violation, after retries', retriesExceeded(protocolError('POLICY_VIOLATION', false))],
    ['kafkajs non-retriable', new KafkaJSNonRetriableError('Invalid message')],
    ['a programming error', new TypeError('x is undefined')],
    ['a thrown string', 'boom'],
    ['nothing', undefined],
  ])('%s is terminal', (_name, err) => {
    expect(classifySendError(err)).toBe('terminal');
  });

  it('sees a size refusal through KafkaJSNumberOfRetriesExceeded', () => {
    expect(classifySendError(retriesExceeded(protocolError('MESSAGE_TOO_LARGE', false)))).toBe('size');
  });
});
