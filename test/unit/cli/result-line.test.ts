import { describe, expect, it } from 'vitest';
import { resultLine } from '../../../src/cli/commands/reconcile-once.js';
import type { ChangeResult } from '../../../src/reconciler/apply.js';

const result = (outcome: ChangeResult['outcome'], error: string | null = null): ChangeResult => ({
  change: { kind: 'topic', id: 'orders', action: 'create' } as ChangeResult['change'],
  outcome,
  error,
  ms: 12,
});

describe('the line printed per applied change', () => {
  it('shows the position on a terminal and nothing more elsewhere', () => {
    expect(resultLine(result('applied'), false, '3/40')).toBe(
      '[3/40] applied  create topic orders (12 ms)\n',
    );
    expect(resultLine(result('applied'), false)).toBe('applied  create topic orders (12 ms)\n');
    expect(resultLine(result('failed', 'boom'), false)).toBe('FAILED   create topic orders (12 ms): boom\n');
  });
});
