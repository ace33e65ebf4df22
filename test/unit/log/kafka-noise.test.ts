import { logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkaLogLevel } from '../../../src/clients/kafka-log.js';

const RESPONSE = 'Response GroupCoordinator(key: 10, version: 2)';

describe('kafkaLogLevel', () => {
  it('demotes the transient coordinator errors of a fresh start to debug', () => {
    const fields = { broker: 'localhost:9092', correlationId: 1, size: 40 };
    expect(
      kafkaLogLevel(logLevel.ERROR, RESPONSE, { ...fields, error: 'The group coordinator is not available' }),
    ).toBe('debug');
    expect(
      kafkaLogLevel(logLevel.ERROR, RESPONSE, {
        ...fields,
        error: "The coordinator is loading and hence can't process requests for this group",
      }),
    ).toBe('debug');
  });

  it('keeps other errors, including other errors of the same request and the same text elsewhere', () => {
    expect(kafkaLogLevel(logLevel.ERROR, RESPONSE, { error: 'Not authorized to access group' })).toBe(
      'error',
    );
    expect(
      kafkaLogLevel(logLevel.ERROR, 'Response JoinGroup(key: 11, version: 5)', {
        error: 'The group coordinator is not available',
      }),
    ).toBe('error');
    expect(kafkaLogLevel(logLevel.ERROR, 'Crash: KafkaJSGroupCoordinatorNotFound', {})).toBe('error');
    expect(kafkaLogLevel(logLevel.ERROR, 'Failed to connect to broker, reconnecting', {})).toBe('error');
  });

  it('keeps warnings, demotes INFO and the expected warnings', () => {
    expect(kafkaLogLevel(logLevel.WARN, 'something odd', {})).toBe('warn');
    expect(kafkaLogLevel(logLevel.INFO, 'Consumer has joined the group', {})).toBe('debug');
    expect(
      kafkaLogLevel(
        logLevel.WARN,
        'Limiting retries for the idempotent producer may invalidate EoS guarantees',
        {},
      ),
    ).toBe('debug');
    expect(kafkaLogLevel(logLevel.DEBUG, 'x', {})).toBe('debug');
  });
});
