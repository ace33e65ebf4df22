/**
 * Bytes of a manifest file → one parsed YAML document (kept for positions) and its plain data. Refuses what is
 * not a single YAML document: binary or non-UTF-8 content, YAML syntax errors, empty files, several documents.
 */
import { LineCounter, isScalar, parseAllDocuments, type Document } from 'yaml';
import type { Diagnostic } from '../errors.js';
import type { Position, SourceDoc } from './positions.js';

/** A problem with a position already known (parse problems have no data path). */
export interface Problem extends Position {
  message: string;
  severity: Diagnostic['severity'];
}

/** `source` is null when the file cannot be read as one YAML document; then `problems` holds an error. */
export interface ParsedFile {
  source: SourceDoc | null;
  data: unknown;
  problems: Problem[];
}

const START: Position = { line: 1, col: 1 };

/** Parses one manifest file's bytes. */
export function parseManifest(bytes: Uint8Array): ParsedFile {
  const text = decode(bytes);
  if (text === null) {
    return failed([
      { ...START, severity: 'error', message: 'not a YAML text file: a manifest is UTF-8 text' },
    ]);
  }
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  const at = (offset: number): Position => lines.linePos(offset);
  const problems: Problem[] = docs.flatMap((d) => [
    ...d.errors.map((e) => ({
      ...at(e.pos[0]),
      severity: 'error' as const,
      message: `invalid YAML: ${e.message}`,
    })),
    ...d.warnings.map((w) => ({
      ...at(w.pos[0]),
      severity: 'warning' as const,
      message: `YAML: ${w.message}`,
    })),
  ]);
  const nonEmpty = docs.filter((d) => !isEmptyDocument(d));
  const [doc, second] = nonEmpty;
  if (second) {
    const message = `${nonEmpty.length} YAML documents in one file: a manifest holds exactly one feed; put each feed in its own file`;
    problems.push({ ...at(second.range[0]), severity: 'error', message });
  }
  if (!doc && !problems.some((p) => p.severity === 'error')) {
    const message = 'empty manifest: expected one Feed document (apiVersion, kind, metadata, spec)';
    problems.push({ ...START, severity: 'error', message });
  }
  if (!doc || problems.some((p) => p.severity === 'error')) return failed(problems);
  return toData({ doc, lines }, problems);
}

function toData(source: SourceDoc, problems: Problem[]): ParsedFile {
  try {
    return { source, data: source.doc.toJS({ maxAliasCount: 100 }), problems };
  } catch (err) {
    const message = `invalid YAML: ${err instanceof Error ? err.message : String(err)}`;
    return failed([...problems, { ...START, severity: 'error', message }]);
  }
}

function failed(problems: Problem[]): ParsedFile {
  return { source: null, data: undefined, problems };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The text, or null when the bytes are not UTF-8 text (invalid sequences or NUL bytes). */
function decode(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return UTF8.decode(bytes);
  } catch {
    return null;
  }
}

function isEmptyDocument(d: Document.Parsed): boolean {
  return (
    d.contents === null || (isScalar(d.contents) && d.contents.value === null && d.contents.source === '')
  );
}
