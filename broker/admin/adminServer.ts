/**
 * The broker's admin HTTP API, on loopback: what Kafka's protocol does not expose (segments,
 * exact partition sizes) and Prometheus metrics. Read-only; no token (it serves nothing a
 * Kafka client on the same machine could not read), but a Host check refuses DNS rebinding.
 *
 *   GET /v1/health
 *   GET /v1/topics
 *   GET /v1/topics/{topic}
 *   GET /v1/topics/{topic}/partitions/{partition}/segments
 *   GET /metrics
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrokerMetrics } from './brokerMetrics';

export interface AdminLogView {
  listTopics(): { name: string; id: string; partitions: number; configs: Record<string, string> }[];
  describeTopic(name: string): {
    name: string;
    id: string;
    partitions: number;
    configs: Record<string, string>;
  };
  hasTopic(name: string): boolean;
  partitionSummary(
    topic: string,
    partition: number,
  ): {
    logStartOffset: number;
    logEndOffset: number;
    highWatermark: number;
    bytes: number;
    batches: number;
    records: number;
    segments: number;
  };
  segments(topic: string, partition: number): object[];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class AdminServer {
  private readonly http: Server;
  private port = 0;

  constructor(
    private readonly log: AdminLogView,
    private readonly metrics: BrokerMetrics,
    private readonly host = '127.0.0.1',
  ) {
    this.http = createServer((request, response) => void this.handle(request, response));
  }

  async listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, this.host, () => resolve());
    });
    this.port = (this.http.address() as AddressInfo).port;
    return this.port;
  }

  async close(): Promise<void> {
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const host = (request.headers.host ?? '').toLowerCase();
      if (!['127.0.0.1', 'localhost', '[::1]'].some((h) => host === `${h}:${this.port}`)) {
        throw new HttpError(403, `Host "${host}" is not this admin API's loopback address.`);
      }
      if (request.method !== 'GET')
        throw new HttpError(405, 'The admin API is read-only: GET only.');
      const path = new URL(request.url ?? '/', 'http://admin').pathname;
      if (path === '/metrics') {
        const text = await this.metrics.text();
        response.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(text);
        return;
      }
      this.json(response, 200, this.route(path));
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      this.json(response, status, { error: { status, message } });
    }
  }

  private route(path: string): unknown {
    if (path === '/v1/health') return { status: 'ok' };
    if (path === '/v1/topics') {
      return { topics: this.log.listTopics().map((topic) => this.topicSummary(topic.name)) };
    }
    const topicMatch = /^\/v1\/topics\/([^/]+)(?:\/partitions\/(\d+)\/segments)?$/.exec(path);
    if (topicMatch) {
      const topic = decodeURIComponent(topicMatch[1]!);
      if (!this.log.hasTopic(topic)) throw new HttpError(404, `Topic "${topic}" does not exist.`);
      if (topicMatch[2] === undefined) return this.topicDetails(topic);
      const partition = Number(topicMatch[2]);
      if (partition >= this.log.describeTopic(topic).partitions) {
        throw new HttpError(404, `Topic "${topic}" has no partition ${partition}.`);
      }
      return {
        topic,
        partition,
        ...this.log.partitionSummary(topic, partition),
        segments: this.log.segments(topic, partition),
      };
    }
    throw new HttpError(404, `No admin route ${path}.`);
  }

  private topicSummary(name: string) {
    const details = this.topicDetails(name);
    return {
      name,
      id: details.id,
      partitions: details.partitions.length,
      messages: details.partitions.reduce(
        (sum, p) => sum + (p.highWatermark - p.logStartOffset),
        0,
      ),
      bytes: details.partitions.reduce((sum, p) => sum + p.bytes, 0),
    };
  }

  private topicDetails(name: string) {
    const topic = this.log.describeTopic(name);
    return {
      name,
      id: topic.id,
      configs: topic.configs,
      partitions: Array.from({ length: topic.partitions }, (_, partition) => ({
        partition,
        ...this.log.partitionSummary(name, partition),
      })),
    };
  }

  private json(response: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    response
      .writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      })
      .end(text);
  }
}
