import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderPlan } from '../../../src/reconciler/plan/render.js';
import type { Plan } from '../../../src/reconciler/plan/types.js';
import { expectGolden } from '../../helpers/golden.js';

const plan = JSON.parse(
  readFileSync(new URL('../../fixtures/plans/sample.json', import.meta.url), 'utf8'),
) as Plan;
const empty: Plan = { ...plan, changes: [], errors: [], blocked: false, applyable: true };

describe('plan renderers (golden files)', () => {
  it('text, like terraform plan', () => expectGolden('plan.txt', renderPlan(plan, 'text', { color: false })));
  it('text with colours for a terminal', () =>
    expectGolden('plan.color.txt', renderPlan(plan, 'text', { color: true })));
  it('markdown, for a pull-request comment', () =>
    expectGolden('plan.md', renderPlan(plan, 'markdown', { color: false })));
  it('json, the plan data itself', () => {
    const json = renderPlan(plan, 'json', { color: false });
    expectGolden('plan.json', json);
    expect(JSON.parse(json)).toEqual(plan);
  });
  it('an empty plan says there is nothing to do, in every format', () => {
    expectGolden('plan-empty.txt', renderPlan(empty, 'text', { color: false }));
    expectGolden('plan-empty.md', renderPlan(empty, 'markdown', { color: false }));
  });
});
