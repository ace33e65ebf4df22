// A `feedctl run` worker as a child process of the bench, so its memory is its own: VmRSS is sampled from
// /proc/<pid>/status, together with whatever the scenario wants to watch (its Prometheus counters, the sinks'
// durable offsets), and VmHWM (peak RSS) is read just before it is stopped with SIGTERM, which must end it with
// exit code 0. BENCH_WORKER_FLAGS adds node flags to the worker (space-separated), e.g.
// `--cpu-prof --cpu-prof-dir=/tmp/prof` (one .cpuprofile per worker) or `--max-old-space-size=128`.
// CPU time comes from /proc/<pid>/stat too: one busy JavaScript thread shows as 1.0 core.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { interrupted, sleep } from './runtime-scenario.mjs';

const BIN = new URL('../../bin/feedctl.js', import.meta.url).pathname;
/** Node flags for every worker child, from BENCH_WORKER_FLAGS. */
export const WORKER_FLAGS = (process.env.BENCH_WORKER_FLAGS ?? '').split(' ').filter(Boolean);

/** kB of a /proc/<pid>/status field (VmRSS, VmHWM), or null once the process is gone. */
function procStatusKb(pid, field) {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) the process used so far, from /proc/<pid>/stat (USER_HZ = 100), or null. */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The child's environment: the config file decides; FEEDCTL_* settings of the bench's shell must not override it.
 * BENCH_RUN_THREAD=0 runs the worker on its main thread (FEEDCTL_RUN_THREAD=0).
 */
function childEnv() {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FEEDCTL_')));
  const thread = process.env.BENCH_RUN_THREAD ? { FEEDCTL_RUN_THREAD: process.env.BENCH_RUN_THREAD } : {};
  return { ...env, FEEDCTL_LOG_LEVEL: 'warn', ...thread };
}

/** CPU seconds per thread of the process: `{ '<tid> <name>': seconds }` (threads gone since are left out). */
function threadCpu(pid) {
  const out = {};
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[`${tid} ${name}`] = (Number(fields[11]) + Number(fields[12])) / 100;
    }
  } catch {
    // the process ended between the listing and the read
  }
  return out;
}

export class WorkerChild {
  /**
   * Samples: `{t, rssMb, cpuS, threads, ...extra()}`: ms since the spawn, VmRSS, CPU seconds used so far (in all,
   * and per thread).
   */
  samples = [];
  /** Last 16 KB of the child's stderr, shown when it fails. */
  stderr = '';
  exit = null;

  /** Spawns `feedctl run --destinations <destinations>` for the scenario `s`. */
  static async start(s, destinations) {
    const w = new WorkerChild();
    const port = await freePort();
    const args = [...WORKER_FLAGS, BIN, '--config', s.configFile, 'run', '--destinations', destinations];
    w.metricsUrl = `http://127.0.0.1:${port}/metrics`;
    w.t0 = performance.now();
    w.child = spawn(process.execPath, [...args, '--http-port', String(port), '--poll-interval', '500'], {
      env: childEnv(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    w.child.stderr.on('data', (b) => (w.stderr = (w.stderr + b.toString()).slice(-16_384)));
    w.exited = new Promise((resolve) =>
      w.child.on('exit', (code, signal) => resolve((w.exit = { code, signal }))),
    );
    return w;
  }

  /** ms since the spawn. */
  now() {
    return performance.now() - this.t0;
  }

  rssMb() {
    const kb = procStatusKb(this.child.pid, 'VmRSS');
    return kb === null ? null : kb / 1024;
  }

  /** Sum of a counter of the worker's metrics over the series whose labels contain `match` (0 before it serves). */
  async counter(name, match = '') {
    let text;
    try {
      text = await (await fetch(this.metricsUrl)).text();
    } catch {
      return 0;
    }
    let total = 0;
    for (const line of text.split('\n')) {
      if ((line.startsWith(`${name}{`) || line.startsWith(`${name} `)) && line.includes(match))
        total += Number(line.slice(line.lastIndexOf(' ')));
    }
    return total;
  }

  /**
   * Samples RSS, CPU time and `extra()` (async, returns fields) every `everyMs` until stop(), which takes one last
   * sample; ticks never overlap.
   */
  sampleEvery(everyMs, extra = async () => ({})) {
    let running = true;
    const sample = async () => {
      const t = this.now();
      const rssMb = this.rssMb();
      const cpuS = cpuSeconds(this.child.pid);
      const threads = threadCpu(this.child.pid);
      if (rssMb !== null) this.samples.push({ t, rssMb, cpuS, threads, ...(await extra()) });
      return t;
    };
    const loop = async () => {
      while (running && this.exit === null) {
        const t = await sample();
        if (running) await sleep(Math.max(0, everyMs - (this.now() - t)));
      }
      if (this.exit === null) await sample();
    };
    this.sampling = loop();
    this.stopSampling = async () => {
      running = false;
      await this.sampling;
    };
  }

  /** Polls `probe` every `everyMs` until true; fails when the child exits, after `timeoutMs`, or on Ctrl-C. */
  async until(what, probe, timeoutMs, everyMs = 200) {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      if (await probe()) return this.now();
      if (this.exit !== null) throw this.failure(`exited while waiting for ${what}`);
      if (performance.now() > deadline)
        throw this.failure(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
      await sleep(everyMs);
    }
  }

  /**
   * Stops sampling, reads the peak RSS (VmHWM, MB) and the CPU seconds used, sends SIGTERM and expects exit code 0
   * within 60 s.
   */
  async stop() {
    await this.stopSampling?.();
    const hwm = procStatusKb(this.child.pid, 'VmHWM');
    const cpuS = cpuSeconds(this.child.pid);
    const wallS = this.now() / 1000;
    if (this.exit === null) this.child.kill('SIGTERM');
    let timer;
    const timeout = new Promise((resolve) => (timer = setTimeout(resolve, 60_000, 'timeout')));
    const outcome = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.child.kill('SIGKILL');
      throw this.failure('did not stop within 60 s of SIGTERM');
    }
    if (this.exit.code !== 0) throw this.failure(`stopped with ${this.exit.code ?? this.exit.signal}, not 0`);
    return { peakMb: hwm === null ? null : hwm / 1024, cpuS, wallS };
  }

  /** Kills the child if it still runs (cleanup after a failure). */
  kill() {
    if (this.exit === null) this.child.kill('SIGKILL');
  }

  failure(what) {
    return new Error(`bench: worker ${what}\n--- worker stderr (tail) ---\n${this.stderr}`);
  }
}

/** Runs `fn(worker)` with a worker child, which is killed if `fn` throws (or Ctrl-C) before stopping it. */
export async function withWorker(s, destinations, fn) {
  const w = await WorkerChild.start(s, destinations);
  const onAbort = () => w.kill();
  interrupted.signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await fn(w);
  } finally {
    interrupted.signal.removeEventListener('abort', onAbort);
    await w.stopSampling?.().catch(() => undefined);
    w.kill();
  }
}
