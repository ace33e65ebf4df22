/**
 * The status pages and their API, served by the health server of `run` and `reconcile --watch`:
 *
 * | path                   | answer                                                                    |
 * | ---------------------- | ------------------------------------------------------------------------- |
 * | `/`                    | every feed, the workers, the watch controllers (HTML)                     |
 * | `/feeds/<name>`        | one feed: manifest, last plan, consumers, dead letters, ledger, audit     |
 * | `/api/status`          | the status model (JSON), as `feedctl status -o json` prints it            |
 * | `/api/feeds/<name>`    | one feed's detail (JSON)                                                  |
 * | `/assets/app.{js,css}` | the page's script and stylesheet, served by the process (no CDN)          |
 *
 * Read-only: GET and HEAD only. With `http.token` set every path here needs it: `Authorization: Bearer <token>`,
 * or the `feedctl_token` cookie that opening a page with `?token=<token>` sets (HttpOnly, SameSite=Strict).
 * Pages send a Content-Security-Policy that allows only this origin's script and stylesheet.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { causeText } from '../errors.js';
import type { PageHandler } from '../health/server.js';
import { logger } from '../log.js';
import { asset } from './assets.js';
import { html, type Html } from './html.js';
import { renderFeed } from './pages/feed.js';
import { layout } from './pages/layout.js';
import { renderOverview } from './pages/overview.js';
import type { StatusSource } from './source.js';

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const COOKIE = 'feedctl_token';
const log = logger('web');

/** The handler of the status pages over `source`; `token` null leaves them open. */
export function statusPages(source: StatusSource, token: string | null): PageHandler {
  return async (req, res, path) => {
    if (!isOurs(path)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', 'read-only: GET only\n', { allow: 'GET, HEAD' });
      return true;
    }
    if (token && !authorized(req, res, path, token)) return true;
    try {
      await route(source, req, res, path);
    } catch (err) {
      log.warn({ path, err: causeText(err) }, 'status page failed');
      if (!res.headersSent)
        send(res, 503, 'text/plain; charset=utf-8', `status unavailable: ${causeText(err)}\n`);
    }
    return true;
  };
}

function isOurs(path: string): boolean {
  return (
    path === '/' || path.startsWith('/feeds/') || path.startsWith('/api/') || path.startsWith('/assets/')
  );
}

async function route(source: StatusSource, req: IncomingMessage, res: ServerResponse, path: string) {
  const fragment = req.headers['x-feedctl-fragment'] === '1';
  const a = asset(path);
  if (a) return send(res, 200, a.type, a.body);
  if (path === '/api/status') return json(res, 200, await source.model());
  if (path === '/') {
    const model = await source.model();
    return page(res, 200, 'Feeds', renderOverview(model), fragment);
  }
  const name = feedName(path);
  if (name === null) return notFound(res, path);
  const detail = await source.detail(name);
  if (path.startsWith('/api/'))
    return detail ? json(res, 200, detail) : json(res, 404, { error: `no feed ${name}` });
  if (!detail)
    return page(
      res,
      404,
      'Not found',
      html`<h1>No feed ${name}</h1>
        <p><a href="/">All feeds</a></p>`,
      fragment,
    );
  return page(res, 200, name, renderFeed(detail, (await source.model()).generatedAt), fragment);
}

/** The feed of `/feeds/<name>` or `/api/feeds/<name>`; null for any other path. */
function feedName(path: string): string | null {
  const m = /^\/(?:api\/)?feeds\/([^/]+)$/.exec(path);
  if (!m?.[1]) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return null;
  }
}

function notFound(res: ServerResponse, path: string): void {
  if (path.startsWith('/api/')) return json(res, 404, { error: 'not found' });
  send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
}

/** Bearer header, cookie, or `?token=` (which sets the cookie and redirects to the clean URL). */
function authorized(req: IncomingMessage, res: ServerResponse, path: string, token: string): boolean {
  const header = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const cookie = cookieValue(req.headers.cookie ?? '', COOKIE);
  if (same(header, token) || same(cookie, token)) return true;
  const query = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
  if (same(query ?? undefined, token) && !path.startsWith('/api/')) {
    res.writeHead(303, {
      location: path,
      'set-cookie': `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
      'cache-control': 'no-store',
    });
    res.end();
    return false;
  }
  const why =
    'a token is required: send "Authorization: Bearer <http.token>", or open the page once with ?token=<http.token>\n';
  send(res, 401, 'text/plain; charset=utf-8', why, { 'www-authenticate': 'Bearer realm="feedctl"' });
  return false;
}

function cookieValue(header: string, name: string): string | undefined {
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) {
      try {
        return decodeURIComponent(v.join('='));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Constant-time comparison (no early exit on the first differing character). */
function same(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function page(res: ServerResponse, status: number, title: string, main: Html, fragment: boolean): void {
  const body = fragment ? main.text : layout(title, main).text;
  send(res, status, 'text/html; charset=utf-8', body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(value)}\n`);
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  extra: Record<string, string> = {},
) {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, ...extra });
  res.end(res.req?.method === 'HEAD' ? undefined : body);
}
