/**
 * The manifest loader: files → parse (parse.ts) → JSON Schema (validate.ts) → defaults (normalize.ts) →
 * semantic checks (semantic.ts) → cross-file checks (cross.ts). Every problem becomes a positioned
 * {@link Diagnostic}; all are collected, none stops the others. A file whose data fails the schema is not
 * normalized, so its semantic checks wait until its schema errors are fixed.
 */
import { readFile } from 'node:fs/promises';
import type { Diagnostic } from '../errors.js';
import { crossChecks } from './cross.js';
import { findManifests, readError } from './files.js';
import type { Issue } from './issue.js';
import { normalize, type RawManifest } from './normalize.js';
import { parseManifest } from './parse.js';
import { locate, type SourceDoc } from './positions.js';
import { semanticChecks } from './semantic.js';
import type { FeedSpec } from './types.js';
import { schemaIssues } from './validate.js';

/** What the loader found. `feeds` holds only feeds whose file has no error diagnostic. */
export interface LoadResult {
  feeds: FeedSpec[];
  /** Sorted by file, line, column. Callers stop when any has severity `error`. */
  diagnostics: Diagnostic[];
  /** Every manifest file examined (display paths), sorted. */
  files: string[];
}

/** One manifest checked on its own. `feed` is null when the file did not get past its schema. */
export interface CheckedFile {
  file: string;
  /** The parsed document, for positioning later (cross-file) issues; null when the file is not one YAML document. */
  source: SourceDoc | null;
  feed: FeedSpec | null;
  diagnostics: Diagnostic[];
}

/** Loads and validates the manifests under `paths` (files or folders). Needs neither Kafka nor MySQL. */
export async function loadFeeds(paths: string[]): Promise<LoadResult> {
  const found = await findManifests(paths);
  const checked = await Promise.all(found.files.map((f) => checkFile(f.abs, f.display)));
  const byFile = new Map(checked.map((c) => [c.file, c]));
  const cross = crossChecks(checked.flatMap((c) => (c.feed ? [c.feed] : [])));
  const sources = new Map<string, SourceDoc | null>();
  for (const issue of cross) {
    const c = byFile.get(issue.file);
    if (!c?.bytes) continue;
    if (!sources.has(c.file)) sources.set(c.file, parseManifest(c.bytes).source);
    const source = sources.get(c.file);
    if (source) c.diagnostics.push(toDiagnostic(c.file, source, issue));
  }
  const feeds = checked.flatMap((c) => (c.feed && !c.diagnostics.some(isError) ? [c.feed] : []));
  const diagnostics = [...found.diagnostics, ...checked.flatMap((c) => c.diagnostics)];
  return { feeds, diagnostics: sortDiagnostics(diagnostics), files: found.files.map((f) => f.display) };
}

/**
 * A checked file as the loader keeps it until the cross-file checks: its bytes rather than its parsed YAML
 * document, which is parsed again only for a file a cross-file issue points into (thousands of retained documents
 * cost the garbage collector more than those few parses).
 */
interface KeptFile extends Omit<CheckedFile, 'source'> {
  /** Null when the file could not be read. */
  bytes: Uint8Array | null;
}

async function checkFile(abs: string, file: string): Promise<KeptFile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(abs);
  } catch (err) {
    const diagnostic: Diagnostic = {
      file,
      line: 1,
      col: 1,
      severity: 'error',
      message: `cannot read: ${readError(err)}`,
    };
    return { file, bytes: null, feed: null, diagnostics: [diagnostic] };
  }
  const { feed, diagnostics } = checkManifest(file, bytes);
  return { file, bytes, feed, diagnostics };
}

/** Parse, schema, defaults and per-feed checks of one manifest's bytes (`file` names it in diagnostics). */
export function checkManifest(file: string, bytes: Uint8Array): CheckedFile {
  const parsed = parseManifest(bytes);
  const diagnostics: Diagnostic[] = parsed.problems.map((p) => ({ file, ...p }));
  const source = parsed.source;
  if (!source) return { file, source, feed: null, diagnostics };
  const issues = schemaIssues(parsed.data);
  let feed: FeedSpec | null = null;
  if (issues.length === 0) {
    const raw = parsed.data as RawManifest;
    feed = normalize(raw, file);
    issues.push(...semanticChecks(feed, raw));
  }
  diagnostics.push(...issues.map((i) => toDiagnostic(file, source, i)));
  return { file, source, feed, diagnostics };
}

function toDiagnostic(file: string, source: SourceDoc, issue: Issue): Diagnostic {
  const { line, col } = locate(source, issue.at, issue.target);
  return { file, line, col, message: issue.message, severity: issue.severity };
}

function isError(d: Diagnostic): boolean {
  return d.severity === 'error';
}

/** By file, line, column; ties keep their order (a stable sort). */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.col - b.col,
  );
}
