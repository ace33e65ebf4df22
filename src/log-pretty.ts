/**
 * Readable log lines for a terminal: `HH:MM:SS.mmm LEVEL subsystem: msg key=value …` (UTC, as every feedctl
 * timestamp), colored unless NO_COLOR is set. Each pino JSON line is parsed and rewritten in-process, so no
 * transport thread or extra dependency is needed; a line that is not pino JSON passes through unchanged.
 */
import type { DestinationStream } from 'pino';

export type LogFormat = 'json' | 'pretty';

/** FEEDCTL_LOG_FORMAT=json|pretty forces a format; otherwise pretty exactly when stderr is a terminal. */
export function logFormat(env: NodeJS.ProcessEnv, isTTY: boolean): LogFormat {
  const forced = env.FEEDCTL_LOG_FORMAT?.trim().toLowerCase();
  if (forced === 'json' || forced === 'pretty') return forced;
  return isTTY ? 'pretty' : 'json';
}

/** Colors only on a terminal, and never when NO_COLOR is set to anything non-empty (https://no-color.org). */
export function colorAllowed(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  return isTTY && !env.NO_COLOR;
}

const LEVELS: Record<number, { name: string; color: string }> = {
  10: { name: 'TRACE', color: '90' },
  20: { name: 'DEBUG', color: '90' },
  30: { name: 'INFO ', color: '32' },
  40: { name: 'WARN ', color: '33' },
  50: { name: 'ERROR', color: '31' },
  60: { name: 'FATAL', color: '1;31' },
};

/** Fields shown in the line's head (or not at all) rather than as key=value. */
const HEAD_FIELDS = new Set(['level', 'time', 'msg', 'subsystem', 'app', 'pid', 'hostname']);

const paint = (on: boolean, code: string, text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

/** One pino JSON line (no newline) as a readable line, plus an error's stack lines; anything else unchanged. */
export function prettyLine(line: string, color = false): string {
  let rec: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return line;
    rec = parsed as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = LEVELS[Number(rec.level)] ?? { name: String(rec.level ?? '?').toUpperCase(), color: '0' };
  const head = [
    paint(color, '2', clock(rec.time)),
    paint(color, level.color, level.name),
    typeof rec.subsystem === 'string' ? `${paint(color, '36', rec.subsystem)}:` : '',
    String(rec.msg ?? ''),
  ].filter((p) => p !== '');
  const fields = Object.entries(rec)
    .filter(([k, v]) => !HEAD_FIELDS.has(k) && v !== undefined)
    .map(([k, v]) => `${paint(color, '2', `${k}=`)}${fieldValue(k, v)}`);
  const stack = Number(rec.level) >= 50 ? errorStack(rec.err) : '';
  return [...head, ...fields].join(' ') + stack;
}

/** `HH:MM:SS.mmm` of an ISO timestamp (or epoch milliseconds). */
function clock(time: unknown): string {
  const d = new Date(typeof time === 'number' || typeof time === 'string' ? time : Date.now());
  return Number.isNaN(d.getTime()) ? String(time) : d.toISOString().slice(11, 23);
}

/** A bare word when it reads unambiguously, else JSON; a serialized error shows as its message. */
function fieldValue(key: string, v: unknown): string {
  if ((key === 'err' || key === 'error') && v && typeof v === 'object' && 'message' in v) {
    return JSON.stringify(String((v as { message: unknown }).message));
  }
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  return JSON.stringify(v);
}

/** The stack of a serialized error, indented under its line, for errors only. */
function errorStack(err: unknown): string {
  const stack = (err as { stack?: unknown } | undefined)?.stack;
  if (typeof stack !== 'string') return '';
  return stack
    .split('\n')
    .map((l) => `\n    ${l}`)
    .join('');
}

/** A pino destination that writes each line to `inner` in the readable form. */
export function prettyDestination(inner: DestinationStream, color: boolean): DestinationStream {
  return {
    write(chunk: string) {
      // pino writes one complete line per call (it may carry several when a logger is flushed at once).
      const lines = chunk.split('\n').filter((l) => l !== '');
      inner.write(lines.map((l) => `${prettyLine(l, color)}\n`).join(''));
    },
  };
}
