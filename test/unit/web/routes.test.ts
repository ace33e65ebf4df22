/**
 * The status pages' routes on a real loopback server over a fixed model: escaping of manifest strings, the
 * read-only methods, the bearer token (header, cookie, `?token=` redirect), the security headers, fragments, 404s,
 * and /api/status answering the very model the page renders.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { serveHealth, type HealthServer } from '../../../src/health/server.js';
import { statusPages } from '../../../src/web/routes.js';
import type { StatusSource } from '../../../src/web/source.js';
import type { FeedDetail } from '../../../src/status/model.js';
import { HOSTILE, model } from '../status/fixtures.js';

const servers: HealthServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A source over the fixture model (the routes' own interface; the real one reads MySQL and Kafka). */
const source: StatusSource = {
  model: async () => model(),
  detail: async (name) => {
    const m = model();
    const feed = m.feeds.find((f) => f.name === name);
    if (!feed) return null;
    const d: FeedDetail = {
      feed,
      manifestPath: `feeds/${name}.yaml`,
      manifest: `description: ${HOSTILE}`,
      planText: 'Plan: 1 to change',
      audit: [],
      consumers: m.consumers.filter((c) => c.feed === name),
      workers: m.workers,
      deadLetterTopic: { name: `${name}-dlq`, messages: 5 },
      ledger: [],
    };
    return d;
  },
  close: async () => undefined,
};

async function serve(token: string | null = null): Promise<HealthServer> {
  const s = await serveHealth({
    host: '127.0.0.1',
    port: 0,
    registries: [],
    liveness: [],
    readiness: [],
    pages: statusPages(source, token),
  });
  servers.push(s);
  return s;
}

const TOKEN = 'a-token-of-24-characters';

describe('the status pages', () => {
  it('render manifest strings as text, never as markup', async () => {
    const s = await serve();
    for (const path of ['/', '/feeds/a']) {
      const body = await (await fetch(`${s.url}${path}`)).text();
      expect(body).not.toContain('<script>alert');
      expect(body).not.toContain('<img src=x');
      expect(body).toContain(
        '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt; &amp; &#39;q&#39;',
      );
    }
  });

  it('send a CSP that allows only their own script and stylesheet, and no caching', async () => {
    const r = await fetch(`${(await serve()).url}/`);
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('cache-control')).toBe('no-store');
  });

  it('are read-only: anything but GET and HEAD is 405', async () => {
    const s = await serve();
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const r = await fetch(`${s.url}/api/status`, { method });
      expect(r.status).toBe(405);
      expect(r.headers.get('allow')).toBe('GET, HEAD');
    }
  });

  it('answer /api/status with the model the page shows, and a fragment with the <main> alone', async () => {
    const s = await serve();
    expect(await (await fetch(`${s.url}/api/status`)).json()).toEqual(JSON.parse(JSON.stringify(model())));
    const fragment = await (await fetch(`${s.url}/`, { headers: { 'x-feedctl-fragment': '1' } })).text();
    expect(fragment).toContain('data-feed="a"');
    expect(fragment).not.toContain('<html');
    const detail = await (await fetch(`${s.url}/api/feeds/a`)).json();
    expect(detail).toMatchObject({ feed: { name: 'a' }, deadLetterTopic: { messages: 5 } });
  });

  it('answer 404 for an unknown feed or path, and serve their assets', async () => {
    const s = await serve();
    expect((await fetch(`${s.url}/feeds/nope`)).status).toBe(404);
    expect((await fetch(`${s.url}/api/feeds/nope`)).status).toBe(404);
    expect((await fetch(`${s.url}/elsewhere`)).status).toBe(404);
    const js = await fetch(`${s.url}/assets/app.js`);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect(await js.text()).toContain('x-feedctl-fragment');
    expect((await fetch(`${s.url}/assets/app.css`)).status).toBe(200);
  });

  it('with a token, refuse requests without it and take it from the header, the cookie or ?token=', async () => {
    const s = await serve(TOKEN);
    expect((await fetch(`${s.url}/`)).status).toBe(401);
    expect(
      (await fetch(`${s.url}/api/status`, { headers: { authorization: 'Bearer wrong-token-xxxxxxxxxx' } }))
        .status,
    ).toBe(401);
    expect(
      (await fetch(`${s.url}/api/status`, { headers: { authorization: `Bearer ${TOKEN}` } })).status,
    ).toBe(200);
    const r = await fetch(`${s.url}/feeds/a?token=${TOKEN}`, { redirect: 'manual' });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/feeds/a');
    const cookie = r.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const withCookie = await fetch(`${s.url}/feeds/a`, { headers: { cookie: cookie.split(';')[0] ?? '' } });
    expect(withCookie.status).toBe(200);
    expect((await fetch(`${s.url}/metrics`)).status).toBe(200);
  });
});
