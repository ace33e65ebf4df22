/**
 * The page's script and stylesheet, read once from the package's `static/` folder (next to `dist/` and `src/`) and
 * served by the process itself: no CDN, nothing fetched from the internet.
 */
import { readFileSync } from 'node:fs';

const FILES: Record<string, { file: string; type: string }> = {
  '/assets/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/assets/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
  '/assets/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
  '/favicon.ico': { file: 'favicon.svg', type: 'image/svg+xml' },
};

const loaded = new Map<string, { type: string; body: string }>();

/** The asset served at `path`, or null when there is none. */
export function asset(path: string): { type: string; body: string } | null {
  const known = FILES[path];
  if (!known) return null;
  let a = loaded.get(path);
  if (!a) {
    // src/web/assets.ts and dist/web/assets.js are both two levels below the package root.
    const body = readFileSync(new URL(`../../static/${known.file}`, import.meta.url), 'utf8');
    a = { type: known.type, body };
    loaded.set(path, a);
  }
  return a;
}
