/** Small process helpers for the local stack: run a command to completion, check a pid, wait for a condition. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Runs a command, collecting output; resolves with the exit code (never rejects on a non-zero exit). */
export function runCommand(
  cmd: string,
  args: string[],
  opts: { cwd?: string } = {},
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** True when a process with this pid exists (signal 0 probes without killing). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The first match of `names` found on PATH or in the extra directories, or undefined. */
export function findBinary(names: string[], extraDirs: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...extraDirs].filter(Boolean);
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Polls `probe` until it returns true or `timeoutMs` passes; `abort` ends the wait early with its message. */
export async function waitFor(
  probe: () => Promise<boolean>,
  timeoutMs: number,
  abort: () => string | undefined = () => undefined,
): Promise<'ready' | 'timeout' | string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return 'ready';
    const reason = abort();
    if (reason) return reason;
    await new Promise((r) => setTimeout(r, 300));
  }
  return 'timeout';
}

/** The positive integer in a pid file, or null when the file is missing or holds something else. */
export function readPidFile(file: string): number | null {
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** The last lines of a log file, for an error message. */
export function tailFile(file: string, lines = 15): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '(no log)';
}
