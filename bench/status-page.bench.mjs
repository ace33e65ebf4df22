// Benchmark (not a test): the status page with 500 feeds (goal: it loads in under 300 ms). A control plane of 500
// feeds (a quarter of them table feeds) is written to its own database — registry, retention policies, declared
// consumers (lake and warehouse), recorded sync states with manifests, one live worker reporting all 1,000
// consumers — and 500 real topics of 3 partitions, so lag is read from Kafka as the page does. The page is served by
// the same code `feedctl run` uses (health server + status pages), in this process, on a free port.
// Figures: reading the model, rendering it, `GET /` over HTTP (the first after start, which waits for the first
// read, then as served: a model at most 2 s old), and the load of `/` in a real headless Chromium (one tab
// reloading it: navigation start to the load event, median of 9), against a baseline
// measured in the same run: `GET /assets/app.css` (the same server, no model).
// Run: npm run bench -- status-page (builds first). Needs the local stack (Kafka, MySQL) and chromium.
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';
import { loadConfig } from '../dist/config/config.js';
import { createKafka } from '../dist/clients/kafka.js';
import { createMysqlPool, withMysql } from '../dist/clients/mysql.js';
import { migrateUp } from '../dist/control/migrate.js';
import { serveHealth } from '../dist/health/server.js';
import { readStatusModel } from '../dist/status/read.js';
import { renderOverview } from '../dist/web/pages/overview.js';
import { statusPages } from '../dist/web/routes.js';
import { statusSource } from '../dist/web/source.js';
import { seedStatus } from './lib/status-seed.mjs';

const FEEDS = Number(process.env.BENCH_STATUS_FEEDS ?? 500);
const PARTITIONS = 3;
const RUNS = 15;
const database = 'feedctl_bench_status';
const base = loadConfig().config;
const config = { ...base, mysql: { ...base.mysql, database } };
// Named per run: a topic being deleted (left by an interrupted run) cannot be created again at once.
const RUN = Date.now().toString(36);
const topics = Array.from({ length: FEEDS }, (_, i) => `bench-status-${RUN}-${i}`);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function timed(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}
async function medianOf(n, fn) {
  const xs = [];
  for (let i = 0; i < n; i++) xs.push(await timed(fn));
  return median(xs);
}

async function setUp(admin) {
  await withMysql(config, (c) => c.query(`DROP DATABASE IF EXISTS ${database}`), { withDatabase: false });
  await migrateUp(config);
  const left = (await admin.listTopics()).filter((t) => t.startsWith('bench-status-'));
  if (left.length > 0) await admin.deleteTopics({ topics: left }).catch(() => undefined);
  // Leaders are waited for below, by reading every topic's offsets (kafkajs' waitForLeaders gives up on 500 topics).
  await admin.createTopics({
    waitForLeaders: false,
    topics: topics.map((topic) => ({ topic, numPartitions: PARTITIONS, replicationFactor: 1 })),
  });
  await withMysql(config, (c) => seedStatus(c, topics, PARTITIONS));
}

/** Median load time of `url` in one Chromium tab, navigated 9 times (as a person reloading it): navigation start to the load event. */
async function browserLoad(url) {
  const executablePath = [process.env.FEEDCTL_CHROMIUM, '/usr/bin/chromium', '/usr/bin/google-chrome'].find(
    (p) => p && existsSync(p),
  );
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage();
    const loads = [];
    for (let i = 0; i < 10; i++) {
      await page.goto(url, { waitUntil: 'load' });
      loads.push(await page.evaluate(() => performance.getEntriesByType('navigation')[0].loadEventEnd));
    }
    return { ms: median(loads.slice(1)) };
  } finally {
    await browser.close();
  }
}

async function measure() {
  const pool = createMysqlPool(config, 2);
  const kafka = createKafka(config);
  const admin = kafka.admin();
  await admin.connect();
  const offsets = async (t) =>
    (await admin.fetchTopicOffsets(t)).map((o) => ({
      partition: o.partition,
      low: Number(o.low),
      high: Number(o.high),
    }));
  // New topics answer ListOffsets with "not the leader" for a moment: read until every topic answers.
  for (let i = 0; i < 60; i++) {
    const ok = await Promise.all(
      topics.map((t) =>
        offsets(t).then(
          () => true,
          () => false,
        ),
      ),
    );
    if (ok.every(Boolean)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const model = await readStatusModel(pool, offsets);
  const read = await medianOf(5, () => readStatusModel(pool, offsets));
  const render = await medianOf(RUNS, async () => renderOverview(model));
  const bytes = renderOverview(model).text.length;
  // As `run` serves it: a model at most 2 s old, refreshed in the background while the last one is shown.
  const source = statusSource(config);
  const server = await serveHealth({
    host: '127.0.0.1',
    port: 0,
    registries: [],
    liveness: [],
    readiness: [],
    pages: statusPages(source, null),
  });
  const get = (path) => async () => (await fetch(`${server.url}${path}`)).text();
  const first = await timed(get('/')); // the first page after start waits for the first read
  const baseline = await medianOf(RUNS, get('/assets/app.css'));
  const served = await medianOf(RUNS, get('/'));
  const browser = await browserLoad(`${server.url}/`);
  await Promise.all([server.close(), source.close(), pool.end(), admin.disconnect()]);
  return { feeds: model.feeds.length, read, render, bytes, baseline, first, served, browser: browser.ms };
}

const kafkaAdmin = createKafka(config).admin();
await kafkaAdmin.connect();
try {
  await setUp(kafkaAdmin);
  const r = await measure();
  const row = (what, ms) =>
    console.log(
      `${what.padEnd(58)} ${ms.toFixed(1).padStart(8)} ms  ${(ms / r.baseline).toFixed(1).padStart(7)}×`,
    );
  console.log(
    `status page, ${r.feeds} feeds (${(r.bytes / 1024).toFixed(0)} KiB of HTML); ratios against the baseline`,
  );
  row('baseline: GET /assets/app.css (same server, no model)', r.baseline);
  row('read the status model (MySQL + Kafka offsets of 500 topics)', r.read);
  row('render the feeds page', r.render);
  row('GET /, the first after start (waits for the first read)', r.first);
  row('GET / (the model as the server keeps it)', r.served);
  row('load / in Chromium (to the load event)', r.browser);
  console.log(
    `goal: the page loads in under 300 ms with 500 feeds: ${r.browser < 300 ? 'met' : 'NOT met'} (${r.browser.toFixed(0)} ms)`,
  );
} finally {
  await kafkaAdmin.deleteTopics({ topics }).catch(() => undefined);
  await kafkaAdmin.disconnect();
  await withMysql(config, (c) => c.query(`DROP DATABASE IF EXISTS ${database}`), { withDatabase: false });
}
