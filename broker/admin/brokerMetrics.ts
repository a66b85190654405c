/**
 * The broker's Prometheus metrics (served at the admin port's `/metrics`). The protocol server
 * reports requests, connections, and produced and fetched records; log sizes are read from the
 * log when scraped, so they are never stale and cost nothing between scrapes.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the metrics need of the log: partition sizes, read at scrape time. */
export interface LogSizes {
  listTopics(): { name: string; partitions: number }[];
  partitionSummary(
    topic: string,
    partition: number,
  ): { bytes: number; logStartOffset: number; highWatermark: number };
}

export class BrokerMetrics {
  readonly registry = new Registry();
  private readonly messagesIn: Counter<'topic'>;
  private readonly bytesIn: Counter<'topic'>;
  private readonly messagesOut: Counter<'topic'>;
  private readonly bytesOut: Counter<'topic'>;
  private readonly requests: Counter<'api' | 'error'>;
  private readonly latency: Histogram<'api'>;
  private readonly connections: Gauge;

  constructor(log: LogSizes) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'logscope_broker_' });
    this.messagesIn = new Counter({
      name: 'logscope_broker_messages_in_total',
      help: 'Records appended, by topic.',
      labelNames: ['topic'],
      registers,
    });
    this.bytesIn = new Counter({
      name: 'logscope_broker_bytes_in_total',
      help: 'Record batch bytes appended, by topic.',
      labelNames: ['topic'],
      registers,
    });
    this.messagesOut = new Counter({
      name: 'logscope_broker_messages_out_total',
      help: 'Records returned by Fetch (counted per whole batch sent), by topic.',
      labelNames: ['topic'],
      registers,
    });
    this.bytesOut = new Counter({
      name: 'logscope_broker_bytes_out_total',
      help: 'Record batch bytes returned by Fetch, by topic.',
      labelNames: ['topic'],
      registers,
    });
    this.requests = new Counter({
      name: 'logscope_broker_requests_total',
      help: 'Requests answered, by API and whether the handler failed.',
      labelNames: ['api', 'error'],
      registers,
    });
    this.latency = new Histogram({
      name: 'logscope_broker_request_duration_seconds',
      help: 'Time from a request frame arriving to its response being queued, by API.',
      labelNames: ['api'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.connections = new Gauge({
      name: 'logscope_broker_open_connections',
      help: 'Client connections open now.',
      registers,
    });
    const logBytes = new Gauge({
      name: 'logscope_broker_log_size_bytes',
      help: 'Bytes of record batches stored, by topic and partition.',
      labelNames: ['topic', 'partition'],
      registers,
      collect() {
        this.reset();
        for (const topic of log.listTopics()) {
          for (let partition = 0; partition < topic.partitions; partition++) {
            this.set(
              { topic: topic.name, partition: String(partition) },
              log.partitionSummary(topic.name, partition).bytes,
            );
          }
        }
      },
    });
    void logBytes;
  }

  recordRequest(api: string, seconds: number, failed: boolean): void {
    this.requests.inc({ api, error: failed ? 'true' : 'false' });
    this.latency.observe({ api }, seconds);
  }

  recordProduce(topic: string, records: number, bytes: number): void {
    this.messagesIn.inc({ topic }, records);
    this.bytesIn.inc({ topic }, bytes);
  }

  recordFetch(topic: string, records: number, bytes: number): void {
    this.messagesOut.inc({ topic }, records);
    this.bytesOut.inc({ topic }, bytes);
  }

  connectionOpened(): void {
    this.connections.inc();
  }

  connectionClosed(): void {
    this.connections.dec();
  }

  /** Counters of the topic go when it is deleted, so a re-created topic starts at zero. */
  forgetTopic(topic: string): void {
    for (const metric of [this.messagesIn, this.bytesIn, this.messagesOut, this.bytesOut])
      metric.remove({ topic });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
