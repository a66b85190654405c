import { mkdtemp } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommitLog } from '../log/commitLog';
import { encodeRecordBatch } from '../protocol/records';
import { AdminServer } from './adminServer';

interface PartitionJson {
  highWatermark: number;
}
interface SegmentJson {
  active: boolean;
}
import { BrokerMetrics } from './brokerMetrics';

let log: CommitLog;
let metrics: BrokerMetrics;
let admin: AdminServer;
let base: string;

beforeAll(async () => {
  log = await CommitLog.open(await mkdtemp(join(tmpdir(), 'admin-')), {
    retentionCheckIntervalMs: 0,
  });
  await log.createTopic('orders', { partitions: 2, configs: { 'segment.bytes': '1024' } });
  for (let batch = 0; batch < 5; batch++) {
    const records = Array.from({ length: 10 }, (_, i) => ({
      value: `order ${batch}-${i} `.padEnd(40, '.'),
      timestamp: 1_700_000_000_000 + i,
    }));
    await log.append('orders', 0, encodeRecordBatch({ records }));
  }
  metrics = new BrokerMetrics(log);
  admin = new AdminServer(log, metrics);
  base = `http://127.0.0.1:${await admin.listen(0)}`;
});

afterAll(async () => {
  await admin.close();
  await log.close();
});

describe('broker admin API', () => {
  it('lists topics with message counts and sizes', async () => {
    const body = (await (await fetch(`${base}/v1/topics`)).json()) as {
      topics: { bytes: number }[];
    };
    expect(body.topics).toEqual([
      {
        name: 'orders',
        id: expect.any(String),
        partitions: 2,
        messages: 50,
        bytes: expect.any(Number),
      },
    ]);
    expect(body.topics[0]!.bytes).toBeGreaterThan(50 * 40);
  });

  it('describes a topic per partition, and its segments — rolled at segment.bytes', async () => {
    const topic = (await (await fetch(`${base}/v1/topics/orders`)).json()) as {
      configs: Record<string, string>;
      partitions: PartitionJson[];
    };
    expect(topic.configs).toEqual({ 'segment.bytes': '1024' });
    expect(topic.partitions.map((p) => p.highWatermark)).toEqual([50, 0]);

    const segments = (await (
      await fetch(`${base}/v1/topics/orders/partitions/0/segments`)
    ).json()) as {
      segments: SegmentJson[];
    };
    expect(segments.segments.length).toBeGreaterThan(1);
    expect(segments.segments.filter((s) => s.active)).toHaveLength(1);
    expect(segments.segments.at(-1)?.active).toBe(true);
  });

  it('answers 404 for an unknown topic or partition, and refuses a foreign Host', async () => {
    expect((await fetch(`${base}/v1/topics/nope`)).status).toBe(404);
    expect((await fetch(`${base}/v1/topics/orders/partitions/7/segments`)).status).toBe(404);
    // fetch() cannot set Host, so send this one by hand.
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(base);
      request(
        {
          host: url.hostname,
          port: url.port,
          path: '/v1/topics',
          headers: { host: 'evil.example' },
        },
        (res) => resolve(res.statusCode!),
      )
        .on('error', reject)
        .end();
    });
    expect(status).toBe(403);
  });

  it('serves Prometheus metrics with traffic counters and log sizes', async () => {
    metrics.recordProduce('orders', 50, 4000);
    metrics.recordRequest('Produce', 0.002, false);
    metrics.connectionOpened();
    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('logscope_broker_messages_in_total{topic="orders"} 50');
    expect(text).toContain('logscope_broker_bytes_in_total{topic="orders"} 4000');
    expect(text).toContain('logscope_broker_requests_total{api="Produce",error="false"} 1');
    expect(text).toContain('logscope_broker_open_connections 1');
    expect(text).toMatch(/logscope_broker_log_size_bytes\{topic="orders",partition="0"\} [1-9]\d+/);
    expect(text).toContain('logscope_broker_log_size_bytes{topic="orders",partition="1"} 0');
  });
});
