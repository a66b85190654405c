import { describe, expect, it } from 'vitest';
import type { MetricsSnapshot } from '../api/metrics';
import { parseByteCounters } from './kafkaMetricsSource';
import { MetricsHub } from './metricsHub';
import { MetricsPoller, type MetricsSource } from './metricsPoller';

/** A cluster whose high watermarks, committed offsets and byte counters the test sets. */
function fakeCluster() {
  const state = {
    watermarks: new Map([
      [
        'orders',
        new Map([
          [0, 100],
          [1, 50],
        ]),
      ],
      ['sensors', new Map([[0, 10]])],
    ]),
    committed: new Map([
      [
        'billing',
        new Map([
          [
            'orders',
            new Map([
              [0, 90],
              [1, -1],
            ]),
          ],
        ]),
      ],
    ]),
    bytes: new Map([['orders', { bytesIn: 1000, bytesOut: 0 }]]),
    polls: 0,
  };
  const source: MetricsSource = {
    highWatermarks: async () => {
      state.polls++;
      return new Map([...state.watermarks].map(([t, p]) => [t, new Map(p)]));
    },
    groups: async () => [...state.committed.keys()],
    committedOffsets: async (group) => state.committed.get(group)!,
    byteCounters: async () => new Map([...state.bytes].map(([t, b]) => [t, { ...b }])),
  };
  return { state, source };
}

describe('metrics poller', () => {
  it('turns high-watermark and byte-counter deltas into rates per partition, topic and cluster', async () => {
    const { state, source } = fakeCluster();
    let now = 1_000_000;
    const poller = new MetricsPoller(
      'local',
      source,
      1000,
      () => undefined,
      () => now,
    );
    expect(await poller.poll()).toBeNull(); // the first poll only sets the baseline
    now += 2000;
    state.watermarks.get('orders')!.set(0, 140);
    state.watermarks.get('orders')!.set(1, 60);
    state.bytes.set('orders', { bytesIn: 9000, bytesOut: 500 });
    const snapshot = (await poller.poll())!;
    const orders = snapshot.topics.find((t) => t.topic === 'orders')!;
    expect(orders.partitions).toEqual([
      { partition: 0, highWatermark: 140, messagesPerSec: 20 },
      { partition: 1, highWatermark: 60, messagesPerSec: 5 },
    ]);
    expect(orders.messagesPerSec).toBe(25);
    expect(orders.bytesInPerSec).toBe(4000);
    expect(orders.bytesOutPerSec).toBe(250);
    expect(snapshot.messagesPerSec).toBe(25);
    expect(snapshot.elapsedMs).toBe(2000);
    // Lag: committed offsets against the high watermarks; no commit (-1) is left out.
    expect(snapshot.groups).toEqual([
      {
        group: 'billing',
        lag: 50,
        partitions: [{ topic: 'orders', partition: 0, committed: 90, lag: 50 }],
      },
    ]);
  });

  it('never reports a negative rate when a topic is recreated', async () => {
    const { state, source } = fakeCluster();
    let now = 0;
    const poller = new MetricsPoller(
      'local',
      source,
      1000,
      () => undefined,
      () => now,
    );
    await poller.poll();
    now += 1000;
    state.watermarks.set(
      'orders',
      new Map([
        [0, 3],
        [1, 0],
      ]),
    );
    const snapshot = (await poller.poll())!;
    expect(snapshot.topics.find((t) => t.topic === 'orders')!.messagesPerSec).toBe(0);
  });

  it('polls a cluster with many partitions less often', async () => {
    const { state, source } = fakeCluster();
    state.watermarks.set('big', new Map(Array.from({ length: 10_000 }, (_, p) => [p, 0])));
    const poller = new MetricsPoller(
      'local',
      source,
      1000,
      () => undefined,
      () => 0,
    );
    await poller.poll();
    expect(poller.intervalMs).toBe(5002); // (10,000 + 3 partitions) / 2,000 per second
  });

  it('shares one poller per cluster among its subscribers', async () => {
    const { state, source } = fakeCluster();
    const hub = new MetricsHub(() => source);
    const received: MetricsSnapshot[][] = [[], []];
    const second = new Promise<void>((resolve) => {
      const stopA = hub.subscribe('local', 250, (s) => received[0]!.push(s));
      const stopB = hub.subscribe('local', 250, (s) => {
        received[1]!.push(s);
        if (received[1]!.length === 2) {
          stopA();
          stopB();
          resolve();
        }
      });
    });
    await second;
    expect(received[0]!.length).toBe(2);
    const polls = state.polls;
    expect(polls).toBe(3); // one baseline, then one per snapshot, for both subscribers
  });

  it('reads the local broker’s byte counters from Prometheus text', () => {
    const text = [
      '# HELP logscope_broker_bytes_in_total Record batch bytes appended, by topic.',
      'logscope_broker_bytes_in_total{topic="demo.orders"} 12345',
      'logscope_broker_bytes_out_total{topic="demo.orders"} 99',
      'logscope_broker_bytes_in_total{topic="a\\"b"} 1e3',
      'logscope_broker_messages_in_total{topic="demo.orders"} 7',
    ].join('\n');
    expect(parseByteCounters(text)).toEqual(
      new Map([
        ['demo.orders', { bytesIn: 12345, bytesOut: 99 }],
        ['a"b', { bytesIn: 1000, bytesOut: 0 }],
      ]),
    );
  });
});
