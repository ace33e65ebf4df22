/** Reading a feedctl health server (src/health) from tests: the check endpoints and sums of /metrics series. */

/** What /healthz and /readyz answer. */
export interface HealthAnswer {
  status: number;
  body: { status: 'ok' | 'failing'; checks: Array<{ name: string; ok: boolean; detail: string }> };
}

/** GET `<base>/healthz` or `/readyz`. */
export async function checkEndpoint(base: string, path: '/healthz' | '/readyz'): Promise<HealthAnswer> {
  const r = await fetch(`${base}${path}`);
  return { status: r.status, body: (await r.json()) as HealthAnswer['body'] };
}

/** The check `name` of an answer, or undefined. */
export function checkOf(a: HealthAnswer, name: string): HealthAnswer['body']['checks'][number] | undefined {
  return a.body.checks.find((c) => c.name === name);
}

/** GET `<base>/metrics` as text. */
export async function metricsText(base: string): Promise<string> {
  const r = await fetch(`${base}/metrics`);
  if (r.status !== 200) throw new Error(`GET ${base}/metrics: ${r.status}`);
  return r.text();
}

/** The sum of the samples of metric `name` whose labels include every pair of `labels`. */
export function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const set = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => set.includes(`${k}="${v}"`))) sum += Number(m[3]);
  }
  return sum;
}
