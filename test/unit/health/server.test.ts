/**
 * The health server on a free loopback port with fake checks: status codes and bodies of /healthz and /readyz, a
 * hung check bounded by the timeout (and not started again while it hangs), 404 and 405, merged registries on
 * /metrics, and a clear error for a port in use.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Counter, Registry } from 'prom-client';
import { FeedctlError } from '../../../src/errors.js';
import { processRegistry, serveHealth, type Check, type HealthServer } from '../../../src/health/server.js';

const servers: HealthServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const ok = (name: string): Check => ({ name, run: () => ({ ok: true, detail: `${name} fine` }) });
const failing = (name: string): Check => ({ name, run: () => ({ ok: false, detail: `${name} down` }) });

async function serve(opts: Partial<Parameters<typeof serveHealth>[0]> = {}): Promise<HealthServer> {
  const s = await serveHealth({
    host: '127.0.0.1',
    port: 0,
    registries: [],
    liveness: [],
    readiness: [],
    checkTimeoutMs: 200,
    ...opts,
  });
  servers.push(s);
  return s;
}

async function get(s: HealthServer, path: string, method = 'GET') {
  const r = await fetch(`${s.url}${path}`, { method });
  return { status: r.status, type: r.headers.get('content-type'), text: await r.text(), headers: r.headers };
}

describe('serveHealth', () => {
  it('listens on the port it reports, on loopback', async () => {
    const s = await serve();
    expect(s.port).toBeGreaterThan(0);
    expect(s.url).toBe(`http://127.0.0.1:${s.port}`);
  });

  it('answers 200 on /healthz and /readyz when every check is ok, listing each', async () => {
    const s = await serve({ liveness: [ok('worker')], readiness: [ok('kafka'), ok('mysql')] });
    const live = await get(s, '/healthz');
    expect(live.status).toBe(200);
    expect(live.type).toMatch(/^application\/json/);
    expect(JSON.parse(live.text)).toEqual({
      status: 'ok',
      checks: [{ name: 'worker', ok: true, detail: 'worker fine' }],
    });
    const ready = await get(s, '/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text).checks.map((c: { name: string }) => c.name)).toEqual(['kafka', 'mysql']);
  });

  it('answers 503 when one check fails or throws, with the others still listed', async () => {
    const throwing: Check = {
      name: 'mysql',
      run: () => Promise.reject(new Error('connect ECONNREFUSED mysql://u:hunter2@db:3306')),
    };
    const s = await serve({ readiness: [ok('kafka'), throwing, failing('migrations')] });
    const r = await get(s, '/readyz');
    expect(r.status).toBe(503);
    expect(JSON.parse(r.text)).toEqual({
      status: 'failing',
      checks: [
        { name: 'kafka', ok: true, detail: 'kafka fine' },
        { name: 'mysql', ok: false, detail: 'connect ECONNREFUSED mysql://u:***@db:3306' },
        { name: 'migrations', ok: false, detail: 'migrations down' },
      ],
    });
    expect(r.text).not.toContain('hunter2');
  });

  it('counts a hung check as failed after the timeout and does not start it again while it hangs', async () => {
    let calls = 0;
    const hung: Check = { name: 'kafka', run: () => (calls++, new Promise(() => undefined)) };
    const s = await serve({ readiness: [hung, ok('mysql')] });
    const started = Date.now();
    const [a, b] = await Promise.all([get(s, '/readyz'), get(s, '/readyz')]);
    expect(Date.now() - started).toBeLessThan(2000);
    for (const r of [a, b]) {
      expect(r.status).toBe(503);
      expect(JSON.parse(r.text).checks[0]).toEqual({
        name: 'kafka',
        ok: false,
        detail: 'no answer within 200 ms',
      });
    }
    expect((await get(s, '/readyz')).status).toBe(503);
    expect(calls).toBe(1);
  });

  it('runs readiness checks in parallel', async () => {
    const slow = (name: string): Check => ({
      name,
      run: () => new Promise((r) => setTimeout(() => r({ ok: true, detail: 'slow' }), 120)),
    });
    const s = await serve({ readiness: [slow('a'), slow('b'), slow('c')] });
    const started = Date.now();
    expect((await get(s, '/readyz')).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(300);
  });

  it('answers 200 on /healthz without liveness checks (the server answering is the sign of life)', async () => {
    const s = await serve();
    expect((await get(s, '/healthz')).status).toBe(200);
  });

  it('answers 404 elsewhere and 405 for other methods', async () => {
    const s = await serve();
    expect((await get(s, '/')).status).toBe(404);
    expect((await get(s, '/metricsz')).status).toBe(404);
    const post = await get(s, '/readyz', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    expect((await get(s, '/metrics', 'DELETE')).status).toBe(405);
  });

  it('serves every registry on /metrics, with one set of process metrics', async () => {
    const worker = processRegistry();
    const done = new Counter({ name: 'feedctl_test_done_total', help: 'w', registers: [worker] });
    const controller = new Registry();
    const runs = new Counter({ name: 'feedctl_test_runs_total', help: 'c', registers: [controller] });
    done.inc(3);
    runs.inc();
    const s = await serve({ registries: [worker, controller] });
    const m = await get(s, '/metrics?x=1');
    expect(m.status).toBe(200);
    expect(m.type).toBe(worker.contentType);
    expect(m.text).toMatch(/^feedctl_test_done_total 3$/m);
    expect(m.text).toMatch(/^feedctl_test_runs_total 1$/m);
    expect(m.text.match(/^# TYPE feedctl_process_resident_memory_bytes /gm)).toHaveLength(1);
    // A metric registered after the start is served too.
    new Counter({ name: 'feedctl_test_late_total', help: 'l', registers: [controller] }).inc(2);
    expect((await get(s, '/metrics')).text).toMatch(/^feedctl_test_late_total 2$/m);
  });

  it('refuses two registries with the same metric at start', async () => {
    await expect(serve({ registries: [processRegistry(), processRegistry()] })).rejects.toThrow(
      /feedctl_process_cpu_user_seconds_total|already been registered/,
    );
  });

  it('says which setting to change when the port is in use', async () => {
    const first = await serve();
    const err = await serve({ port: first.port }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedctlError);
    expect((err as FeedctlError).code).toBe('HTTP_LISTEN_FAILED');
    expect((err as FeedctlError).message).toBe(
      `health: listen 127.0.0.1:${first.port}: port ${first.port} is in use: choose another with http.port ` +
        '(FEEDCTL_HTTP_PORT, --http-port), or 0 for a free one',
    );
  });

  it('closes idempotently, dropping kept-alive connections', async () => {
    const s = await serve();
    await get(s, '/healthz');
    await Promise.all([s.close(), s.close()]);
    await expect(fetch(`${s.url}/healthz`)).rejects.toThrow();
  });
});
