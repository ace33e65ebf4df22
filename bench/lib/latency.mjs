// Produce-to-MySQL latency: a steady producer that remembers when each message was sent and at which offset it
// landed, a poller that sees when the warehouse's durable offsets (feedctl_offsets, committed in the same
// transaction as the rows) move, and the join of both into one latency per message.
import { sleep, warehouseDurable } from './runtime-scenario.mjs';

/**
 * Sends `rate` msg/s for `seconds`, in sends of `perSend` messages spread round-robin over the partitions
 * (explicit partitions), one send at a time (kafkajs' idempotent producer keeps one request in flight, and
 * concurrent sends of an idempotent producer are a known source of lost messages in kafkajs 2.x). Returns the
 * segments `{partition, first, count, t}` (consecutive offsets of one send to one partition, sent at `t`), how
 * many messages were sent, over how long (ms, until the last ack), and how many sends started over one interval
 * late.
 */
export async function produceSteadily(s, producer, { rate, seconds, perSend, message, firstId }) {
  const intervalMs = (perSend * 1000) / rate;
  const sends = Math.round((seconds * 1000) / intervalMs);
  const segments = [];
  let late = 0;
  const t0 = performance.now();
  for (let k = 0; k < sends; k++) {
    const wait = t0 + k * intervalMs - performance.now();
    if (wait > 0) await sleep(wait);
    else if (wait < -intervalMs) late += 1;
    const messages = [];
    const counts = new Array(s.partitions).fill(0);
    for (let j = 0; j < perSend; j++) {
      const i = firstId + k * perSend + j;
      const partition = i % s.partitions;
      counts[partition] += 1;
      messages.push({ ...message(i), partition });
    }
    const t = performance.now();
    const meta = await producer.send({ topic: s.topic, acks: -1, messages });
    for (const m of meta) {
      segments.push({ partition: m.partition, first: Number(m.baseOffset), count: counts[m.partition], t });
    }
  }
  return { segments, sent: sends * perSend, ms: performance.now() - t0, late };
}

/**
 * Polls the warehouse's durable offsets every `everyMs` until `stop()`; records each move `{partition, from, to,
 * t}`: offsets from..to-1 became visible in MySQL no later than `t` (the time the poll's answer arrived).
 */
export function pollWarehouse(s, everyMs) {
  const moves = [];
  let running = true;
  const loop = async () => {
    let last = await warehouseDurable(s);
    while (running) {
      const started = performance.now();
      const now = await warehouseDurable(s);
      const t = performance.now();
      now.forEach((to, partition) => {
        if (to > last[partition]) moves.push({ partition, from: last[partition], to, t });
      });
      last = now;
      await sleep(Math.max(0, everyMs - (performance.now() - started)));
    }
  };
  const done = loop();
  return {
    moves,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

/** Latency (ms) of every message of `segments`: the first move covering its offset, minus its send time. */
export function latencies(segments, moves) {
  const byPartition = new Map();
  for (const m of moves) {
    if (!byPartition.has(m.partition)) byPartition.set(m.partition, []);
    byPartition.get(m.partition).push(m);
  }
  const out = new Float64Array(segments.reduce((n, g) => n + g.count, 0));
  let n = 0;
  for (const g of segments) {
    const list = byPartition.get(g.partition) ?? [];
    for (let o = g.first; o < g.first + g.count; o++) {
      const move = covering(list, o);
      if (!move) throw new Error(`bench: offset ${o} of partition ${g.partition} never became visible`);
      out[n++] = move.t - g.t;
    }
  }
  return out.sort();
}

/** The move of `list` (contiguous, in offset order) whose from..to-1 holds `offset`, by binary search. */
function covering(list, offset) {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].to <= offset) lo = mid + 1;
    else if (list[mid].from > offset) hi = mid - 1;
    else return list[mid];
  }
  return undefined;
}

/** Nearest-rank percentile `q` (0..1) of sorted values. */
export function percentile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
