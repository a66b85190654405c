/**
 * Playback through the engine API (issue 8, item 2) against `logscope serve` with its real
 * broker: topics produced by kafkajs with known timestamps, played over the real WebSocket.
 * At max speed the window's records arrive exactly, in timestamp order; at ×10 no record
 * arrives before its time and the gaps shrink tenfold (a ratio with a tolerance, never an
 * absolute time); a jump and a resume start at the right record; bad requests say what is wrong.
 */
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { ApiErrorDetail, Cluster, PlaybackEvent } from '../../engine/api';
import { engineClient, openEngineSocket } from '../support/engineClient';
import { startServe, type ServedApp } from '../support/processes';

const { Kafka, logLevel } = kafkajs;
let app: ServedApp;
let base: string;
let socket: WebSocket;
const { api } = engineClient(() => ({ base, token: app.token }));

/** A fixed past time, so the windows below never reach the present. */
const BASE = Date.UTC(2026, 0, 15, 9, 0, 0);
const MAX_TOPIC = 'pb.max';
const TIMED_TOPIC = 'pb.timed';

interface Produced {
  partition: number;
  offset: number;
  timestamp: number;
  value: string;
}
/** What went into MAX_TOPIC, in merged order: timestamp, then partition, then offset. */
let produced: Produced[] = [];
/** The gaps, in ms, between the timed topic's records. */
const TIMED_GAPS = [0, 1200, 300, 2500, 800, 4000, 100, 1500, 3000, 600, 2000];

beforeAll(async () => {
  app = await startServe(['--no-demo']);
  base = `${app.baseUrl}api/v1`;
  const { clusters } = await api<{ clusters: Cluster[] }>('GET', '/clusters');
  const bootstrap = clusters.find((c) => c.id === 'local')!.bootstrapServers![0]!;
  await api('POST', '/clusters/local/topics', { name: MAX_TOPIC, partitions: 3 });
  await api('POST', '/clusters/local/topics', { name: TIMED_TOPIC, partitions: 2 });

  const kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  // 1,800 records, 600 per partition; every timestamp is used by two partitions (ties).
  const next = [0, 0, 0];
  const messages = Array.from({ length: 1800 }, (_, i) => {
    const partition = i % 3;
    const record = {
      partition,
      offset: next[partition]!++,
      timestamp: BASE + Math.floor(i / 2) * 10,
      value: JSON.stringify({ i, amount: i % 97 }),
    };
    produced.push(record);
    return { partition, value: record.value, timestamp: String(record.timestamp) };
  });
  for (let i = 0; i < messages.length; i += 300)
    await producer.send({ topic: MAX_TOPIC, acks: -1, messages: messages.slice(i, i + 300) });
  produced = produced.sort(
    (a, b) => a.timestamp - b.timestamp || a.partition - b.partition || a.offset - b.offset,
  );
  let at = BASE;
  await producer.send({
    topic: TIMED_TOPIC,
    acks: -1,
    messages: TIMED_GAPS.map((gap, i) => {
      at += gap;
      return { partition: i % 2, value: String(i), timestamp: String(at) };
    }),
  });
  await producer.disconnect();
  socket = await openEngineSocket({ base, token: app.token });
});

afterAll(async () => {
  socket?.close();
  expect(await app?.process.stop()).toBe(0);
});

type Tick = Extract<PlaybackEvent, { kind: 'tick' }>;
interface Played {
  events: PlaybackEvent[];
  ticks: Tick[];
  /** Each tick's arrival on the test's own clock (performance.now()). */
  arrivals: number[];
  error: ApiErrorDetail | null;
}

let subscriptions = 0;
/** Subscribes to `playback` and collects until the engine ends the subscription (or `stopAfter`). */
function playback(
  params: Record<string, unknown>,
  stopAfter?: (event: PlaybackEvent) => boolean,
): Promise<Played> {
  const id = `pb${++subscriptions}`;
  const result: Played = { events: [], ticks: [], arrivals: [], error: null };
  return new Promise((resolve) => {
    const onMessage = (raw: WebSocket.RawData) => {
      const message = JSON.parse(String(raw));
      if (message.id !== id) return;
      if (message.op === 'event') {
        const event = message.data as PlaybackEvent;
        result.events.push(event);
        if (event.kind === 'tick') {
          result.ticks.push(event);
          result.arrivals.push(performance.now());
        }
        if (stopAfter?.(event)) {
          socket.send(JSON.stringify({ op: 'unsubscribe', id }));
          finish();
        }
      } else {
        if (message.op === 'error') result.error = message.error;
        finish();
      }
    };
    const finish = () => {
      socket.off('message', onMessage);
      resolve(result);
    };
    socket.on('message', onMessage);
    socket.send(
      JSON.stringify({
        op: 'subscribe',
        id,
        stream: 'playback',
        params: { cluster: 'local', ...params },
      }),
    );
  });
}

const keyOf = (m: { partition: number; offset: number }) => `${m.partition}:${m.offset}`;
const playedKeys = (ticks: Tick[]) => ticks.flatMap((t) => t.messages.map(keyOf));

describe('playback', () => {
  const from = BASE + 1000;
  const to = BASE + 6000;
  const inWindow = () => produced.filter((r) => r.timestamp >= from && r.timestamp < to);

  it('at max speed delivers exactly the window’s records in timestamp order, with the field’s numbers', async () => {
    const result = await playback({
      topic: MAX_TOPIC,
      from,
      to,
      speed: 'max',
      field: '$.amount',
    });
    expect(result.error).toBeNull();
    const expected = inWindow();
    expect(expected.length).toBe(1000);
    expect(result.events[0]).toMatchObject({
      kind: 'start',
      from,
      to,
      position: from,
      partitions: 3,
    });
    expect(playedKeys(result.ticks)).toEqual(expected.map(keyOf));
    expect(result.ticks.flatMap((t) => t.messages.map((m) => m.value))).toEqual(
      expected.map((r) => r.value),
    );
    expect(result.ticks.flatMap((t) => t.values)).toEqual(
      expected.map((r) => (JSON.parse(r.value) as { amount: number }).amount),
    );
    expect(result.events.at(-1)).toEqual({ kind: 'done', time: to, played: 1000, skipped: 0 });
  });

  it('at ×10 never sends a record before its time and shrinks the gaps tenfold', async () => {
    const last = BASE + TIMED_GAPS.reduce((a, b) => a + b, 0);
    const speed = 10;
    const result = await playback({ topic: TIMED_TOPIC, from: BASE, to: last + 1, speed });
    expect(result.error).toBeNull();
    const arrivals: { timestamp: number; arrival: number }[] = [];
    result.ticks.forEach((tick, i) => {
      for (const message of tick.messages) {
        // Never early, by the engine's own playback clock.
        expect(message.timestamp).toBeLessThanOrEqual(BASE + tick.elapsedMs * speed);
        expect(message.timestamp).toBeLessThanOrEqual(tick.time);
        arrivals.push({ timestamp: message.timestamp, arrival: result.arrivals[i]! });
      }
    });
    expect(arrivals.map((a) => a.timestamp)).toEqual(
      [...arrivals.map((a) => a.timestamp)].sort((a, b) => a - b),
    );
    expect(arrivals).toHaveLength(TIMED_GAPS.length);
    // The span on the test's clock against the span of the timestamps ÷ 10: never shorter (a
    // little slack for the first record's trip), later only by scheduling delays.
    const ratio =
      (arrivals.at(-1)!.arrival - arrivals[0]!.arrival) /
      ((arrivals.at(-1)!.timestamp - arrivals[0]!.timestamp) / speed);
    expect(ratio).toBeGreaterThan(0.9);
    expect(ratio).toBeLessThan(2);
    // Each long gap (≥ 1 s of the original, 100 ms played) on its own, by the engine's clock.
    const elapsed = new Map<number, number>();
    for (const tick of result.ticks)
      for (const message of tick.messages) elapsed.set(message.timestamp, tick.elapsedMs);
    const stamps = [...elapsed.keys()];
    for (let i = 1; i < stamps.length; i++) {
      const original = stamps[i]! - stamps[i - 1]!;
      if (original < 1000) continue;
      const played = elapsed.get(stamps[i]!)! - elapsed.get(stamps[i - 1]!)!;
      expect(played / (original / speed)).toBeGreaterThan(0.7);
      expect(played / (original / speed)).toBeLessThan(3);
    }
  });

  it('a jump starts at the first record at or after the position', async () => {
    const position = produced.find((r) => r.timestamp >= from + 2345)!.timestamp;
    const result = await playback({ topic: MAX_TOPIC, from, to, speed: 'max', position });
    expect(result.error).toBeNull();
    const expected = inWindow().filter((r) => r.timestamp >= position);
    expect(result.events[0]).toMatchObject({ kind: 'start', position });
    expect(playedKeys(result.ticks)).toEqual(expected.map(keyOf));
  });

  it('resumes from a tick’s cursor at exactly the next record', async () => {
    // Stop after the first tick with records (at most 500 of the 1,000).
    const first = await playback(
      { topic: MAX_TOPIC, from, to, speed: 'max' },
      (event) => event.kind === 'tick' && event.messages.length > 0,
    );
    const tick = first.ticks.at(-1)!;
    expect(tick.played).toBeGreaterThan(0);
    expect(tick.played).toBeLessThan(1000);
    const rest = await playback({
      topic: MAX_TOPIC,
      from,
      to,
      speed: 'max',
      position: tick.time,
      cursor: tick.next,
    });
    expect(rest.error).toBeNull();
    expect([...playedKeys(first.ticks), ...playedKeys(rest.ticks)]).toEqual(inWindow().map(keyOf));
  });

  it('plays only what the filter matches, counting the rest as skipped', async () => {
    const result = await playback({
      topic: MAX_TOPIC,
      from,
      to,
      speed: 'max',
      filter: 'value.amount < 10 && partition != 1',
    });
    expect(result.error).toBeNull();
    const expected = inWindow().filter(
      (r) => (JSON.parse(r.value) as { amount: number }).amount < 10 && r.partition !== 1,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(playedKeys(result.ticks)).toEqual(expected.map(keyOf));
    expect(result.events.at(-1)).toEqual({
      kind: 'done',
      time: to,
      played: expected.length,
      skipped: 1000 - expected.length,
    });
  });

  it('says what is wrong: unknown topic, empty window, a window that ends before it starts', async () => {
    const unknown = await playback({ topic: 'pb.nope', from, to });
    expect(unknown.error).toMatchObject({ code: 'NOT_FOUND' });
    expect(unknown.error!.message).toContain('pb.nope');

    const empty = await playback({ topic: MAX_TOPIC, from: BASE - 60_000, to: BASE - 1 });
    expect(empty.error).toMatchObject({ code: 'NOT_FOUND' });
    expect(empty.error!.message).toContain('has no messages between');

    const backwards = await playback({ topic: MAX_TOPIC, from: to, to: from });
    expect(backwards.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'params.to' });
    expect(backwards.error!.message).toContain('the window ends before it starts');
  });
});
