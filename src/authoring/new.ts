/**
 * `feedctl new`: a feed manifest from flags or from a sample of an existing topic, written to `<dir>/<name>.yaml`
 * (never over an existing file) and validated with the project's loader, so what is written is what `feedctl
 * validate` sees.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { FeedctlError } from '../errors.js';
import { loadFeeds, type LoadResult } from '../feeds/load.js';
import { nameProblem } from '../feeds/names.js';
import type { FeedType } from '../feeds/types.js';
import { columnFor, columnProblem, uniqueColumns } from './column-names.js';
import { renderManifest, type FeedDraft, type FieldDraft } from './draft.js';
import { inferFields, parseValues, suggestEventTime, type Inferred } from './infer.js';
import { sampleTopic, type SampleOptions } from './sample.js';

export interface NewOptions {
  name: string;
  type: FeedType;
  /** Fields from `--field` (they win over inferred fields of the same name). */
  fields: FieldDraft[];
  key: string[];
  warehouseTable?: string;
  /** Sample this existing topic (the feed's topic, adopted) to infer fields. */
  fromTopic?: string;
  sample: number;
  /** Folder the manifest is written to. */
  dir: string;
}

/** What a topic sample gave. */
export interface Observed {
  topic: string;
  partitions: number;
  messages: number;
  complete: boolean;
  inferred: Inferred;
}

export interface NewResult {
  file: string;
  draft: FeedDraft;
  validation: LoadResult;
}

/** Samples (when asked), builds, writes and validates the manifest. */
export async function newFeed(
  config: Config,
  o: NewOptions,
  sampleOpts: SampleOptions = {},
): Promise<NewResult> {
  checkName(o.name);
  const file = path.join(o.dir, `${o.name}.yaml`);
  let observed: Observed | undefined;
  if (o.fromTopic) {
    const s = await sampleTopic(config, o.fromTopic, o.sample, sampleOpts);
    const inferred = inferFields(parseValues(s.values), { feed: o.name });
    observed = {
      topic: o.fromTopic,
      partitions: s.partitions,
      messages: s.values.length,
      complete: s.complete,
      inferred,
    };
  }
  const draft = buildDraft(o, observed);
  await writeNew(file, renderManifest(draft));
  return { file, draft, validation: await loadFeeds([file]) };
}

function fail(action: string, id: string, detail: string): FeedctlError {
  return new FeedctlError('VALIDATION_FAILED', detail, { subsystem: 'new', action, id });
}

function checkName(name: string): void {
  const problem = nameProblem('feed', name);
  if (problem) throw fail('check the feed name', name, problem);
}

/** Writes `text` to `file`, refusing to replace an existing file. */
async function writeNew(file: string, text: string): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text, { flag: 'wx' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'EEXIST'
        ? 'the file already exists; feedctl new never overwrites a manifest (edit it, or remove it first)'
        : `cannot write: ${(err as Error).message}`;
    throw new FeedctlError('VALIDATION_FAILED', why, {
      subsystem: 'new',
      action: 'write',
      id: file,
      cause: err,
    });
  }
}

/** The draft of the new feed (pure). */
export function buildDraft(o: NewOptions, observed?: Observed): FeedDraft {
  const fields = uniqueColumns(mergeFields(observed?.inferred.fields ?? [], o.fields.map(mapColumn)));
  if (fields.length === 0) {
    throw fail(
      'build the manifest',
      o.name,
      'no field: give --field name:type, or --from-topic with messages',
    );
  }
  const key = o.key.length > 0 ? o.key : (observed?.inferred.key ?? []);
  const unknown = key.filter((k) => !fields.some((f) => f.name === k));
  if (unknown.length > 0) throw fail('read --key', unknown.join(','), 'not a field of the feed');
  if (o.warehouseTable && key.length === 0) {
    throw fail('build the manifest', o.name, 'the warehouse upserts on a key: give --key');
  }
  const eventTime = suggestEventTime(fields);
  return {
    name: o.name,
    type: o.type,
    notes: headerNotes(o, observed, eventTime),
    topic: topicOf(o, observed),
    fields,
    key,
    ...(eventTime ? { eventTime } : {}),
    lake: true,
    ...(o.warehouseTable ? { warehouse: { table: o.warehouseTable } } : {}),
  };
}

/** A flag field whose name cannot be a column gets one, like an inferred field. */
function mapColumn(f: FieldDraft): FieldDraft {
  const column = columnFor(f.name);
  if (!column) return f;
  const why = `"${f.name}" ${columnProblem(f.name)}: stored as column ${column}`;
  return { ...f, column, note: f.note ? `${f.note}; ${why}` : why };
}

function mergeFields(inferred: FieldDraft[], flags: FieldDraft[]): FieldDraft[] {
  const byName = new Map(flags.map((f) => [f.name, f]));
  const merged = inferred.map((f) => byName.get(f.name) ?? f);
  return [...merged, ...flags.filter((f) => !inferred.some((i) => i.name === f.name))];
}

function topicOf(o: NewOptions, observed: Observed | undefined): FeedDraft['topic'] {
  if (!observed) return { name: o.name };
  return {
    name: observed.topic,
    partitions: observed.partitions,
    adopt: true,
    adoptNote: `The topic already exists (${observed.partitions} partitions, as observed): feedctl takes it over\ninstead of creating it, and manages only the settings written here.`,
  };
}

function headerNotes(o: NewOptions, observed: Observed | undefined, eventTime: string | undefined): string[] {
  const origin = observed
    ? [
        `Written by \`feedctl new --from-topic ${observed.topic}\` from ${observed.messages} sampled messages${observed.complete ? '' : ' (the sample timed out before its end)'}.`,
        'Types are inferred from that sample only: check every field, and the comments beside them.',
        // A key given with --key is not a guess.
        ...observed.inferred.notes.filter((n) => o.key.length === 0 || !/^(No key|Key) guessed/.test(n)),
      ]
    : [
        'Written by `feedctl new`: check the fields, then describe the feed (owner, description).',
        ...(eventTime ? [`Event time guessed: ${eventTime} (by its name). Check it.`] : []),
      ];
  return [...origin, ...(o.type === 'table' ? TABLE_NOTES : [])];
}

/** The snapshot contract a table feed's producer follows (see docs/manifest.md). */
const TABLE_NOTES = [
  '',
  'A table feed publishes full snapshots ("Table feeds: the snapshot contract" in docs/manifest.md). Version N:',
  '- every row is a record with header snapshot_version=N (optionally snapshot_date=YYYY-MM-DD), on any partition;',
  '- then, on EVERY partition, one end marker: header snapshot_end=N, an empty value, and optionally',
  '  snapshot_rows=<rows of version N sent to that partition>, which is checked.',
  'Version N is published when every partition has its marker (spec.snapshot defaults: header snapshot_version,',
  'seal: marker).',
];

/** What `feedctl new` prints: the file, its validation, and what to do next. */
export function renderNewResult(r: NewResult, valid: boolean, validationText: string): string {
  const shown = path.relative(process.cwd(), r.file) || r.file;
  const lines = [
    `Wrote ${shown.startsWith('..') ? r.file : shown} (${r.draft.fields.length} fields).`,
    validationText.trimEnd(),
  ];
  if (!valid) {
    lines.push('', 'The manifest does not validate yet: fix the errors above in the file (it is kept).');
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    '',
    'Next steps:',
    '  1. Read the file: its comments say what was guessed and what to check.',
    '  2. feedctl validate',
    '  3. feedctl reconcile --dry-run   (the plan for this feed)',
    '  4. Open a pull request with the file.',
  );
  return `${lines.join('\n')}\n`;
}
