/**
 * A real headless browser for the status page's tests: Debian's chromium (scripts/ensure-chromium.sh installs it;
 * FEEDCTL_CHROMIUM names another) driven by playwright-core, which downloads no browser of its own. Screenshots go
 * to test-artifacts/ (ignored by git; CI uploads the folder).
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export type { Browser, Page } from 'playwright-core';

/** Where tests write screenshots (README links them; CI uploads them). */
export const ARTIFACTS = path.resolve('test-artifacts');

/** The Chromium binary: FEEDCTL_CHROMIUM, else the first of Debian's and other usual paths that exists. */
export function chromiumPath(): string {
  const candidates = [
    process.env.FEEDCTL_CHROMIUM,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ];
  const found = candidates.find((c): c is string => Boolean(c) && existsSync(c as string));
  if (!found) throw new Error('no Chromium found: run scripts/ensure-chromium.sh or set FEEDCTL_CHROMIUM');
  return found;
}

/** A headless Chromium; the caller closes it. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

/** A page of 1400×900 whose script errors, CSP violations and failed requests are collected in `problems`. */
export async function openPage(browser: Browser, problems: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
      problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return page;
}

/** A full-page screenshot at test-artifacts/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
