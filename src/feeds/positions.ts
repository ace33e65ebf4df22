/**
 * Maps data paths (ajv instance paths, semantic-check paths) back to the YAML source: 1-based line and column of
 * the offending value, or of the key naming it.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { Issue, Path } from './issue.js';

export interface Position {
  line: number;
  col: number;
}

/** A parsed manifest document with the line index of its file. */
export interface SourceDoc {
  doc: Document.Parsed;
  lines: LineCounter;
}

interface Found {
  node: Node | null;
  key: Node | null;
  complete: boolean;
}

/** Where an issue points in the source (see {@link Issue.at} for how several or missing paths resolve). */
export function locate(src: SourceDoc, at: Issue['at'], target: Issue['target']): Position {
  const paths: readonly Path[] = isPathList(at) ? at : [at];
  const walks = paths.map((p) => walk(src.doc, p));
  const hit = walks.find((w) => w.complete);
  if (hit) return position(src, target === 'key' || isEmpty(hit.node) ? (hit.key ?? hit.node) : hit.node);
  const partial = walks[0] ?? walk(src.doc, []);
  return position(src, partial.key ?? partial.node);
}

function isPathList(at: Issue['at']): at is readonly Path[] {
  return at.length > 0 && Array.isArray(at[0]);
}

function walk(doc: Document.Parsed, path: Path): Found {
  let found: Found = { node: doc.contents, key: null, complete: true };
  for (const seg of path) {
    const next = child(doc, found.node, seg);
    if (!next) return { ...found, complete: false };
    found = next;
  }
  return found;
}

function child(doc: Document.Parsed, parent: Node | null, seg: string | number): Found | undefined {
  const node = isAlias(parent) ? (parent.resolve(doc) ?? null) : parent;
  if (isMap(node)) {
    const pair = node.items.find((p) => keyText(p.key) === String(seg));
    if (pair) return { node: asNode(pair.value), key: asNode(pair.key), complete: true };
  }
  if (isSeq(node) && typeof seg === 'number') {
    const item = asNode(node.items[seg]);
    if (item) return { node: item, key: null, complete: true };
  }
  return undefined;
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function asNode(v: unknown): Node | null {
  return v !== null && typeof v === 'object' && 'range' in v ? (v as Node) : null;
}

/** `key:` with nothing after it: point at the key rather than at the end of the line. */
function isEmpty(node: Node | null): boolean {
  return isScalar(node) && node.value === null && !!node.range && node.range[0] === node.range[1];
}

function position(src: SourceDoc, node: Node | null): Position {
  const offset = node?.range?.[0] ?? src.doc.range[0];
  const { line, col } = src.lines.linePos(offset);
  return { line, col };
}
