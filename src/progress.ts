/**
 * Progress of a long operation (a topic sample, an import, a big reconcile) as one line on stderr that updates in
 * place: `\r`, clear the line, the new text — at most 10 times a second. Shown only on a terminal: silent when the
 * stream is not a TTY or when `CI` or `FEEDCTL_NO_PROGRESS` is set, so logs and CI output never hold it.
 */

/** Where the line goes: process.stderr, or a fake in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressOptions {
  /** The expected count, shown as `n/total (p%)`; omitted: just `n`. */
  total?: number;
  /** Default: process.stderr. */
  stream?: ProgressStream;
  /** Milliseconds clock (tests pass a fake). */
  now?: () => number;
  /** Default: process.env. */
  env?: Record<string, string | undefined>;
}

export interface Progress {
  /** Counts `n` more units done; redraws the line when the last draw is 100 ms old or more. */
  tick(n?: number): void;
  /** Draws the final line (`summary`, else the count) and ends it with a newline; later calls do nothing. */
  done(summary?: string): void;
}

/** Redraws per second, at most. */
const MAX_RATE = 10;
const CLEAR_LINE = '\r\u001b[2K';

/** Whether progress is drawn on `stream` under `env`. */
export function progressShown(stream: ProgressStream, env: Record<string, string | undefined>): boolean {
  return stream.isTTY === true && !env.CI && !env.FEEDCTL_NO_PROGRESS;
}

/** A progress reporter for `label`; a no-op when {@link progressShown} is false. */
export function createProgress(label: string, opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  if (!progressShown(stream, opts.env ?? process.env))
    return { tick: () => undefined, done: () => undefined };
  const now = opts.now ?? Date.now;
  let count = 0;
  let last = -Infinity;
  let finished = false;
  const draw = (text: string): void => void stream.write(`${CLEAR_LINE}${label}: ${text}`);
  return {
    tick(n = 1) {
      if (finished) return;
      count += n;
      const t = now();
      if (t - last < 1000 / MAX_RATE) return;
      last = t;
      draw(countText(count, opts.total));
    },
    done(summary) {
      if (finished) return;
      finished = true;
      draw(`${summary ?? countText(count, opts.total)}\n`);
    },
  };
}

/** `42`, or `42/100 (42%)` when the total is known. */
export function countText(count: number, total?: number): string {
  if (total === undefined || total <= 0) return String(count);
  return `${count}/${total} (${Math.floor((100 * Math.min(count, total)) / total)}%)`;
}
