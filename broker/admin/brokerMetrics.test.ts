import { describe, expect, it } from 'vitest';
import { BrokerMetrics } from './brokerMetrics';

const log = {
  listTopics: () => [{ name: 'orders', partitions: 2 }],
  partitionSummary: (_topic: string, partition: number) => ({
    bytes: 100 * (partition + 1),
    logStartOffset: 0,
    highWatermark: 10,
  }),
};

/** Metric names in a Prometheus exposition, without label sets or comment lines. */
function names(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.split(/[{ ]/, 1)[0]!),
  );
}

describe('BrokerMetrics', () => {
  it('names process metrics once under the logscope_broker_ prefix', async () => {
    const all = names(await new BrokerMetrics(log).text());
    expect(all).toContain('logscope_broker_process_cpu_user_seconds_total');
    expect([...all].filter((name) => name.includes('process_process'))).toEqual([]);
    expect([...all].every((name) => name.startsWith('logscope_broker_'))).toBe(true);
  });

  it('counts produced records per topic and reads log sizes at scrape time', async () => {
    const metrics = new BrokerMetrics(log);
    metrics.recordProduce('orders', 5, 500);
    metrics.recordProduce('orders', 2, 120);
    const text = await metrics.text();
    expect(text).toContain('logscope_broker_messages_in_total{topic="orders"} 7');
    expect(text).toContain('logscope_broker_bytes_in_total{topic="orders"} 620');
    expect(text).toContain('logscope_broker_log_size_bytes{topic="orders",partition="1"} 200');
  });
});
