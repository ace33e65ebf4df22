/**
 * The status page in a real headless Chromium, served by a real `feedctl reconcile --watch` with its worker: the
 * example feeds are listed; produced messages move the counters; a topic config changed behind feedctl's back turns
 * the feed to `drift`, and the resync brings it back `in sync`; a broken manifest shows its diagnostic; a hostile
 * description renders as text. Screenshots of `/` and of a feed's page go to test-artifacts/.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withAdmin } from '../../../src/clients/kafka.js';
import type { StatusModel } from '../../../src/status/model.js';
import { launchBrowser, openPage, screenshot, type Browser, type Page } from '../../helpers/browser.js';
import { feedYaml, useFeedctl } from '../../helpers/cli.js';
import { useTestEnv } from '../../helpers/env.js';
import { produce, waitUntil } from '../../helpers/runtime.js';
import { startWatch, type WatchProcess } from '../../helpers/watch.js';

const env = useTestEnv('status_page');
const fc = useFeedctl(env);
const HOSTILE = `<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> & "quotes"`;

/** An example manifest of feeds/, on this run's own topic and role. */
function example(name: string, topic: string, role: string): string {
  return readFileSync(`feeds/${name}.yaml`, 'utf8')
    .replace(/^ {2}topic:\n/m, `  topic:\n    name: ${topic}\n`)
    .replace('roles: [analyst]', `roles: [${role}]`);
}

let browser: Browser;
let watch: WatchProcess;
let base = '';
const problems: string[] = [];

const syncOf = (page: Page, feed: string) =>
  page.locator(`tr[data-feed="${feed}"] td[data-col="sync"] [data-sync]`).textContent();

async function until(page: Page, what: string, check: () => Promise<boolean>, ms = 60_000) {
  await waitUntil(what, check, ms).catch((e: unknown) => {
    throw new Error(`${String(e)}\n--- watch stderr (tail):\n${watch.err().slice(-3000)}`);
  });
}

describe('the status page', () => {
  const topic = env.topic('customer_events');
  beforeAll(async () => {
    const role = env.role('analyst');
    fc.writeFeed('customer_events', example('customer_events', topic, role));
    fc.writeFeed('product_catalog', example('product_catalog', env.topic('product_catalog'), role));
    const hostile = feedYaml({ name: 'hostile_text', topic: env.topic('hostile_text') });
    fc.writeFeed(
      'hostile_text',
      hostile.replace('  owner: tests', `  owner: tests\n  description: '${HOSTILE}'`),
    );
    watch = startWatch(
      fc,
      { FEEDCTL_REFRESH_SECONDS: '1', FEEDCTL_RESYNC_SECONDS: '20', FEEDCTL_LOG_LEVEL: 'error' },
      { worker: true },
    );
    base = await watch.healthUrl();
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await watch?.stop();
  });

  it(
    'lists the feeds, moves with the data, shows drift and broken manifests, escapes text',
    { timeout: 240_000 },
    async () => {
      const page = await openPage(browser, problems);
      await page.goto(`${base}/`);
      await until(
        page,
        'the example feeds in sync',
        async () => (await syncOf(page, 'customer_events')) === 'in sync',
      );
      for (const feed of ['customer_events', 'product_catalog', 'hostile_text'])
        await expect.poll(() => syncOf(page, feed), { timeout: 30_000 }).toBe('in sync');

      // A hostile description is text: no script ran, no element was made from it.
      const desc = page.locator('tr[data-feed="hostile_text"] .desc');
      expect(await desc.textContent()).toBe(HOSTILE);
      expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
      expect(
        await page.locator('tr[data-feed="hostile_text"] img, tr[data-feed="hostile_text"] script').count(),
      ).toBe(0);

      // Produced messages move the counters (the page refreshes itself).
      const messages = Array.from({ length: 300 }, (_, i) => ({
        key: `c${i % 17}`,
        value: JSON.stringify({
          customer_id: `c${i % 17}`,
          event: 'login',
          timestamp: new Date().toISOString(),
        }),
      }));
      await produce(env.config, topic, messages);
      const row = page.locator('tr[data-feed="customer_events"]');
      await until(
        page,
        'a lake file on the page',
        async () => (await row.locator('td[data-col="write"] span[title*=".parquet"]').count()) === 1,
      );
      const rate = (await row.locator('td[data-col="rate"]').textContent()) ?? '';
      expect(Number(rate.split('/')[0])).toBeGreaterThan(0);
      await screenshot(page, 'status-overview');

      // Drift made by hand: shown by the next refresh, healed by the resync.
      await withAdmin(env.config, (a) =>
        a.alterConfigs({
          validateOnly: false,
          resources: [{ type: 2, name: topic, configEntries: [{ name: 'retention.ms', value: '1234567' }] }],
        }),
      );
      await until(
        page,
        'the drift on the page',
        async () => (await syncOf(page, 'customer_events')) === 'drift',
        30_000,
      );
      expect(await row.locator('td[data-col="sync"] .detail').textContent()).toContain('retention.ms');
      await until(
        page,
        'the resync healing it',
        async () => (await syncOf(page, 'customer_events')) === 'in sync',
        60_000,
      );

      // A broken manifest: its diagnostic on the page; fixed, in sync again.
      const good = readFileSync(`${fc.feedsDir}/customer_events.yaml`, 'utf8');
      fc.writeFeed('customer_events', `${good}\n  bogus: [unclosed\n`);
      await until(
        page,
        'the diagnostic',
        async () => (await syncOf(page, 'customer_events')) === 'invalid manifest',
        30_000,
      );
      expect(await page.locator('section[aria-label="invalid manifests"]').textContent()).toMatch(
        /customer_events\.yaml.*\d+:\d+/s,
      );
      await screenshot(page, 'status-invalid-manifest');
      fc.writeFeed('customer_events', good);
      await until(page, 'the fix', async () => (await syncOf(page, 'customer_events')) === 'in sync', 30_000);

      // The feed's page: manifest, last plan, consumers.
      const feedPage = await openPage(browser, problems);
      await feedPage.goto(`${base}/feeds/customer_events`);
      expect(await feedPage.locator('h1').textContent()).toContain('customer_events');
      expect(await feedPage.locator('pre.manifest').textContent()).toContain('kind: Feed');
      expect(
        await feedPage.locator('table[aria-label="consumers"] tr[data-destination="lake"]').count(),
      ).toBe(1);
      await screenshot(feedPage, 'status-feed');

      // By keyboard: the first Tab reaches the skip link, which moves the focus to the content; the feeds page's
      // links are reachable and follow with Enter.
      await feedPage.keyboard.press('Tab');
      expect(await feedPage.locator(':focus').textContent()).toBe('Skip to content');
      await feedPage.keyboard.press('Enter');
      expect(await feedPage.locator(':focus').getAttribute('id')).toBe('main');
      await feedPage.locator('a[href="/"]').last().focus();
      await feedPage.keyboard.press('Enter');
      await feedPage.waitForURL(`${base}/`);
      expect(await feedPage.locator('tr[data-feed]').count()).toBe(3);
      expect(problems).toEqual([]);

      // The CLI and the page show one model.
      const api = (await (await fetch(`${base}/api/status`)).json()) as StatusModel;
      const cli = JSON.parse((await fc.cli('status', '-o', 'json')).stdout) as StatusModel;
      const states = (m: StatusModel) => m.feeds.map((f) => [f.name, f.type, f.owner, f.sync.state]);
      expect(states(cli)).toEqual(states(api));
      expect(Object.keys(cli).sort()).toEqual(Object.keys(api).sort());
      await fc.expectConverged();
    },
  );
});
