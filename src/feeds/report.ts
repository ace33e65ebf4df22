/**
 * The reports of `feedctl validate`, one pure function per `-o` format:
 * - `text`: every diagnostic as `file:line:col: message`, then `N feed(s) valid in M file(s)` when nothing is an
 *   error, else `E error(s), W warning(s) in M file(s)`;
 * - `json`: one object `{valid, files, feeds, diagnostics}`;
 * - `github`: every diagnostic as a GitHub Actions workflow command (`::error file=…,line=…,col=…,title=…::…`,
 *   `::warning …` for warnings), which GitHub shows as an annotation on that line of the pull request, then the
 *   text summary line.
 */
import path from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../errors.js';
import type { LoadResult } from './load.js';

/** The formats `feedctl validate -o` accepts. */
export const VALIDATE_FORMATS = ['text', 'json', 'github'] as const;
export type ValidateFormat = (typeof VALIDATE_FORMATS)[number];

/** Where diagnostics' paths start from, and the repository root GitHub wants annotation paths relative to. */
export interface GithubPaths {
  /** The folder diagnostics' (display) paths are relative to: the current directory. */
  cwd: string;
  /** The repository's root (GitHub's `GITHUB_WORKSPACE`). */
  root: string;
}

const TITLE = 'feedctl validate';

/** Whether the manifests may be used: no diagnostic is an error (warnings do not count). */
export function isValid(result: LoadResult): boolean {
  return !result.diagnostics.some((d) => d.severity === 'error');
}

/** The last line of the text and GitHub reports (see the module comment). */
export function summaryLine(result: LoadResult): string {
  const files = `${result.files.length} file(s)`;
  if (isValid(result)) return `${result.feeds.length} feed(s) valid in ${files}`;
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  return `${errors} error(s), ${result.diagnostics.length - errors} warning(s) in ${files}`;
}

/** The text report. */
export function renderValidateText(result: LoadResult): string {
  return [...result.diagnostics.map(formatDiagnostic), summaryLine(result), ''].join('\n');
}

/** The JSON report: `feeds` lists the names of the valid feeds. */
export function renderValidateJson(result: LoadResult): string {
  const report = {
    valid: isValid(result),
    files: result.files,
    feeds: result.feeds.map((f) => f.name),
    diagnostics: result.diagnostics,
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** The GitHub Actions report: one workflow command per diagnostic, paths relative to `paths.root`. */
export function renderValidateGithub(result: LoadResult, paths: GithubPaths): string {
  const commands = result.diagnostics.map((d) => githubCommand(d, repoPath(d.file, paths)));
  return [...commands, summaryLine(result), ''].join('\n');
}

/** `::error file=…,line=…,col=…,title=feedctl validate::message` (or `::warning …`), escaped as GitHub requires. */
export function githubCommand(d: Diagnostic, file: string): string {
  const props = [
    `file=${escapeProperty(file)}`,
    `line=${d.line}`,
    `col=${d.col}`,
    `title=${escapeProperty(TITLE)}`,
  ];
  return `::${d.severity} ${props.join(',')}::${escapeData(d.message)}`;
}

/** A display path (relative to `cwd`) made relative to the repository root, with `/` separators. */
export function repoPath(file: string, paths: GithubPaths): string {
  return path.relative(paths.root, path.resolve(paths.cwd, file)).split(path.sep).join('/');
}

/** A workflow command's message: `%`, CR and LF are encoded (the toolkit's `escapeData`). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value: as a message, and `:` and `,` too (the toolkit's `escapeProperty`). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
