/**
 * Browsing through the engine API against a real broker process: topics, configs, segments,
 * pages with cursors, seeking by time, filters, single messages, search jobs, tail with a rate
 * limit, compressed topics, the demo data, and precise connection errors. Real processes
 * (`dist/broker/cli.js`, `dist/engine/cli.js`), real HTTP, a real WebSocket, and kafkajs as an
 * outside producer.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import kafkajs, { type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Message, MessagePage, SearchResult, TailEvent } from '../../engine/api';
import { registerKafkaCodecs } from '../../engine/sources/kafkaCodecs';
import { startBroker, type RunningBroker } from '../support/broker';
import { startEngine, type RunningEngine } from '../support/engine';
import { repoRoot, temporaryDir } from '../support/processes';
import { engineClient, openEngineSocket } from '../support/engineClient';

const { Kafka, logLevel, CompressionTypes } = kafkajs;
let broker: RunningBroker;
let engine: RunningEngine;
let producer: Producer;
let kafka: InstanceType<typeof Kafka>;

beforeAll(async () => {
  broker = await startBroker();
  engine = await startEngine({ name: 'browse-engine', broker });
  await registerKafkaCodecs();
  kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  producer = kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  expect(await engine?.stop()).toBe(0);
  expect(await broker?.process.stop()).toBe(0);
});

const { api, apiError } = engineClient(() => engine);

/** Polls until `check` passes: for state that converges in the background (the demo seed). */
async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`${what} did not happen: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function createTopic(name: string, partitions = 1, configs: Record<string, string> = {}) {
  await api('POST', '/clusters/local/topics', { name, partitions, configs });
}

const messagesPath = (topic: string, query: Record<string, string | number>) =>
  `/clusters/local/topics/${topic}/messages?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}`;

const openSocket = () => openEngineSocket(engine);

describe('demo data', () => {
  it('appears on the local broker on first start: orders and sensors, with several segments', async () => {
    const topics = await eventually(
      () =>
        api<{
          topics: { name: string; partitions: number; messages: number; bytes: number | null }[];
        }>('GET', '/clusters/local/topics'),
      ({ topics }) =>
        topics.some((t) => t.name === 'demo.orders' && t.messages === 50_000) &&
        topics.some((t) => t.name === 'demo.sensors' && t.messages === 17_280),
      'the demo seed',
    );
    const orders = topics.topics.find((t) => t.name === 'demo.orders')!;
    expect(orders).toMatchObject({ partitions: 3, bytes: expect.any(Number) });
    const segments = await api<{
      supported: boolean;
      segments: { baseOffset: number; active: boolean }[];
    }>('GET', '/clusters/local/topics/demo.orders/partitions/0/segments');
    expect(segments.supported).toBe(true);
    expect(segments.segments.length).toBeGreaterThan(2);
    expect(segments.segments.filter((s) => s.active)).toHaveLength(1);

    const page = await api<MessagePage>('GET', messagesPath('demo.orders', { limit: 5 }));
    const order = JSON.parse(page.messages[0]!.value!);
    expect(page.messages[0]).toMatchObject({ valueEncoding: 'json', key: order.customer.id });
    expect(order).toMatchObject({
      amount: expect.any(Number),
      currency: expect.any(String),
      items: expect.any(Array),
    });
    // Sensors are lz4-compressed: reading them proves the codec adapters.
    const sensors = await api<MessagePage>(
      'GET',
      messagesPath('demo.sensors', { limit: 3, position: 'latest' }),
    );
    expect(JSON.parse(sensors.messages[0]!.value!)).toMatchObject({
      temperature: expect.any(Number),
      humidity: expect.any(Number),
      pressure: expect.any(Number),
    });
  });
});

describe('demo data, again', () => {
  it('is not seeded twice by a second engine, and --demo-live keeps producing', async () => {
    const live = await startEngine({
      name: 'browse-live',
      args: ['--broker', broker.bootstrap, '--demo-live'],
    });
    const orders = async () => {
      const response = await fetch(`${live.base}/clusters/local/topics/demo.orders`, {
        headers: { authorization: `Bearer ${live.token}` },
      });
      const topic = (await response.json()) as { partitions: { messages: number }[] };
      return topic.partitions.reduce((sum, p) => sum + p.messages, 0);
    };
    const grown = await eventually(orders, (n) => n > 50_000, 'live demo orders');
    // A second full seed would have doubled the topic.
    expect(grown).toBeLessThan(51_000);
    expect(await live.stop()).toBe(0);
  });
});

describe('topics', () => {
  it('creates a topic, reads and changes its configs, describes it, and deletes it', async () => {
    const topic = `t-admin-${Date.now()}`;
    await createTopic(topic, 3, { 'retention.ms': '3600000' });
    const details = await api<{
      partitions: { partition: number; leader: number; highWatermark: number }[];
    }>('GET', `/clusters/local/topics/${topic}`);
    expect(details.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    let configs = await api<{ configs: { name: string; value: string | null; source: string }[] }>(
      'GET',
      `/clusters/local/topics/${topic}/configs`,
    );
    expect(configs.configs.find((c) => c.name === 'retention.ms')).toMatchObject({
      value: '3600000',
    });
    configs = await api('PATCH', `/clusters/local/topics/${topic}/configs`, {
      configs: { 'cleanup.policy': 'compact' },
    });
    // The patch leaves other overrides alone (kafkajs's AlterConfigs replaces the whole set).
    expect(configs.configs.find((c) => c.name === 'retention.ms')?.value).toBe('3600000');
    expect(configs.configs.find((c) => c.name === 'cleanup.policy')?.value).toBe('compact');
    const duplicate = await apiError('POST', '/clusters/local/topics', { name: topic });
    expect(duplicate.body.error.code).toBe('CONFLICT');
    await api('DELETE', `/clusters/local/topics/${topic}`);
    const gone = await apiError('GET', `/clusters/local/topics/${topic}`);
    expect(gone.status).toBe(404);
    const cluster = await api<{ overview: { brokers: unknown[]; topicCount: number } | null }>(
      'GET',
      '/clusters/local',
    );
    expect(cluster.overview?.brokers).toHaveLength(1);
  });
});

describe('messages', () => {
  const topic = `t-pages-${Date.now()}`;
  const start = Date.parse('2024-05-01T00:00:00Z');

  beforeAll(async () => {
    await createTopic(topic, 3);
    for (let first = 0; first < 3000; first += 500) {
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: 500 }, (_, j) => {
          const n = first + j;
          return {
            partition: n % 3,
            key: `${n % 2 === 0 ? 'eu' : 'us'}-${n}`,
            value: JSON.stringify({ n, amount: n % 250 }),
            timestamp: String(start + n * 1000),
            headers: { n: String(n) },
          };
        }),
      });
    }
  });

  it('pages forward through all partitions merged by timestamp, with cursors', async () => {
    const seen: Message[] = [];
    let page = await api<MessagePage>('GET', messagesPath(topic, { limit: 250 }));
    seen.push(...page.messages);
    while (page.next) {
      page = await api<MessagePage>('GET', messagesPath(topic, { cursor: page.next, limit: 250 }));
      seen.push(...page.messages);
    }
    expect(seen.map((m) => JSON.parse(m.value!).n)).toEqual(
      Array.from({ length: 3000 }, (_, i) => i),
    );
  });

  it('pages backward from the latest message of one partition, and back again', async () => {
    const newest = await api<MessagePage>(
      'GET',
      messagesPath(topic, { partition: 1, position: 'latest', direction: 'backward', limit: 10 }),
    );
    expect(newest.messages.map((m) => m.offset)).toEqual(
      Array.from({ length: 10 }, (_, i) => 999 - i),
    );
    const older = await api<MessagePage>(
      'GET',
      messagesPath(topic, { cursor: newest.next!, limit: 10 }),
    );
    expect(older.messages[0]!.offset).toBe(989);
    const newer = await api<MessagePage>(
      'GET',
      messagesPath(topic, { cursor: older.previous!, limit: 10 }),
    );
    expect(newer.messages.map((m) => m.offset)).toEqual(
      Array.from({ length: 10 }, (_, i) => 990 + i),
    );
  });

  it('seeks by timestamp', async () => {
    const page = await api<MessagePage>(
      'GET',
      messagesPath(topic, { timestamp: start + 1234 * 1000 + 1, limit: 3 }),
    );
    expect(page.messages.map((m) => JSON.parse(m.value!).n)).toEqual([1235, 1236, 1237]);
  });

  it('filters, and names a bad expression with its position', async () => {
    const page = await api<MessagePage>(
      'GET',
      messagesPath(topic, { filter: 'value.amount > 240 && key startsWith "eu-"', limit: 1000 }),
    );
    expect(page.messages.length).toBeGreaterThan(0);
    for (const m of page.messages) {
      expect(JSON.parse(m.value!).amount).toBeGreaterThan(240);
      expect(m.key!.startsWith('eu-')).toBe(true);
    }
    expect(page.scanned).toBe(3000);
    const bad = await apiError('GET', messagesPath(topic, { filter: 'value.amount >' }));
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'query.filter',
      message: expect.stringContaining('at character'),
    });
    const hostile = await apiError(
      'GET',
      messagesPath(topic, { filter: 'key.constructor.constructor("return process")()' }),
    );
    expect(hostile.body.error.field).toBe('query.filter');
  });

  it('cuts a large value in lists and returns it whole alone', async () => {
    const big = `{"blob":"${'x'.repeat(300_000)}"}`;
    const [result] = await producer.send({
      topic,
      acks: -1,
      messages: [{ partition: 2, key: 'big', value: big }],
    });
    const offset = Number(result!.baseOffset);
    const listed = await api<MessagePage>(
      'GET',
      messagesPath(topic, { partition: 2, offset, limit: 1 }),
    );
    expect(listed.messages[0]).toMatchObject({
      valueTruncated: true,
      valueSize: big.length,
      valueEncoding: 'json',
    });
    expect(listed.messages[0]!.value!.length).toBe(16 * 1024);
    const whole = await api<Message>(
      'GET',
      `/clusters/local/topics/${topic}/partitions/2/messages/${offset}`,
    );
    expect(whole).toMatchObject({ valueTruncated: false, valueSize: big.length, value: big });
    const missing = await apiError(
      'GET',
      `/clusters/local/topics/${topic}/partitions/2/messages/999999`,
    );
    expect(missing.status).toBe(404);
  });

  it('produces one message through the API with headers and binary content', async () => {
    const produced = await api<{ partition: number; offset: number; timestamp: number }>(
      'POST',
      `/clusters/local/topics/${topic}/messages`,
      {
        partition: 0,
        key: 'produced',
        value: '//79',
        valueEncoding: 'base64',
        headers: [{ key: 'trace', value: 'abc' }],
      },
    );
    const message = await api<Message>(
      'GET',
      `/clusters/local/topics/${topic}/partitions/0/messages/${produced.offset}`,
    );
    expect(message).toMatchObject({
      key: 'produced',
      value: '//79',
      valueEncoding: 'base64',
      headers: [{ key: 'trace', value: 'abc', encoding: 'utf8' }],
    });
  });

  it('searches a range as a job with progress, a scanned count, and cancel', async () => {
    const socket = await openSocket();
    const progress: Job[] = [];
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw));
      if (message.id === 'jobs' && message.op === 'event') progress.push(message.data);
    });
    socket.send(JSON.stringify({ op: 'subscribe', id: 'jobs', stream: 'jobs' }));
    const job = await api<Job>('POST', `/clusters/local/topics/${topic}/search`, {
      filter: 'value.amount == 7',
      from: { timestamp: start },
      to: { timestamp: start + 2000 * 1000 },
    });
    expect(job).toMatchObject({ kind: 'search', state: 'running' });
    const done = await eventually(
      () => api<Job>('GET', `/jobs/${job.id}`),
      (j) => j.finishedAt !== null,
      'the search',
    );
    expect(done.state).toBe('succeeded');
    const result = done.result as SearchResult;
    expect(result.scanned).toBe(2000);
    expect(result.messages.map((m) => JSON.parse(m.value!).n)).toEqual([
      7, 257, 507, 757, 1007, 1257, 1507, 1757,
    ]);
    expect(result.complete).toBe(true);
    expect(progress.some((j) => j.id === job.id && j.finishedAt !== null)).toBe(true);
    socket.close();
    const bad = await apiError('POST', `/clusters/local/topics/${topic}/search`, { filter: '(' });
    expect(bad.body.error.field).toBe('body.filter');
    const cancelled = await api<Job>('POST', `/clusters/local/topics/demo.orders/search`, {
      filter: 'value.amount < 0',
    });
    await api('POST', `/jobs/${cancelled.id}/cancel`);
    const after = await eventually(
      () => api<Job>('GET', `/jobs/${cancelled.id}`),
      (j) => j.finishedAt !== null,
      'the cancel',
    );
    expect(after.state).toBe('cancelled');
  });
});

describe('tail', () => {
  it('sends new messages at most maxPerSecond and counts the rest as dropped', async () => {
    const topic = `t-tail-${Date.now()}`;
    await createTopic(topic, 2);
    const socket = await openSocket();
    const events: TailEvent[] = [];
    const errors: unknown[] = [];
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw));
      if (message.id === 'tail' && message.op === 'event') events.push(message.data);
      if (message.id === 'tail' && message.op === 'error') errors.push(message);
    });
    socket.send(
      JSON.stringify({
        op: 'subscribe',
        id: 'tail',
        stream: 'tail',
        params: { cluster: 'local', topic, maxPerSecond: 20 },
      }),
    );
    await api('POST', `/clusters/local/topics/${topic}/messages`, { partition: 0, value: 'first' });
    // The first message shows the tail is reading; then a burst.
    await eventually(
      async () => events.length,
      (n) => n > 0,
      'the first tail event',
    );
    const sentAt = Date.now();
    for (let first = 0; first < 2000; first += 500) {
      await producer.send({
        topic,
        acks: 1,
        messages: Array.from({ length: 500 }, (_, j) => ({ value: `{"n":${first + j}}` })),
      });
    }
    const total = () => events.reduce((n, e) => n + e.messages.length + e.dropped, 0);
    await eventually(
      async () => total(),
      (n) => n >= 2001,
      'every message sent or dropped',
    );
    const seconds = (Date.now() - sentAt) / 1000;
    const sent = events.reduce((n, e) => n + e.messages.length, 0);
    expect(errors).toEqual([]);
    expect(total()).toBe(2001);
    expect(sent).toBeLessThanOrEqual(20 * (Math.ceil(seconds) + 1));
    expect(events.reduce((n, e) => n + e.dropped, 0)).toBeGreaterThan(1000);
    socket.close();
  });
});

describe('compression and clusters', () => {
  it('reads gzip, snappy, lz4 and zstd topics', async () => {
    const topic = `t-codecs-${Date.now()}`;
    await createTopic(topic, 1);
    for (const [name, codec] of Object.entries({
      gzip: CompressionTypes.GZIP,
      snappy: CompressionTypes.Snappy,
      lz4: CompressionTypes.LZ4,
      zstd: CompressionTypes.ZSTD,
    })) {
      await producer.send({
        topic,
        acks: -1,
        compression: codec,
        messages: Array.from({ length: 20 }, (_, i) => ({
          key: name,
          value: `${name} ${i} ${'abc'.repeat(50)}`,
        })),
      });
    }
    const page = await api<MessagePage>('GET', messagesPath(topic, { limit: 100 }));
    expect(page.messages.map((m) => m.key)).toEqual(
      ['gzip', 'snappy', 'lz4', 'zstd'].flatMap((k) => Array(20).fill(k)),
    );
    expect(page.messages[25]!.value).toBe(`snappy 5 ${'abc'.repeat(50)}`);
  });

  it('adds the broker as an external cluster, browses it, and says precisely why a connection fails', async () => {
    const created = await api<{ id: string }>('POST', '/clusters', {
      kind: 'kafka',
      name: 'Second view',
      bootstrapServers: [broker.bootstrap],
    });
    const test = await api<{ ok: boolean; brokers: number }>(
      'POST',
      `/clusters/${created.id}/test`,
    );
    expect(test).toMatchObject({ ok: true, brokers: 1 });
    const topics = await api<{ topics: { name: string; bytes: number | null }[] }>(
      'GET',
      `/clusters/${created.id}/topics`,
    );
    expect(topics.topics.find((t) => t.name === 'demo.orders')).toMatchObject({ bytes: null });
    const segments = await api<{ supported: boolean; message: string }>(
      'GET',
      `/clusters/${created.id}/topics/demo.orders/partitions/0/segments`,
    );
    expect(segments).toMatchObject({
      supported: false,
      message: expect.stringContaining('does not expose segments'),
    });

    const refused = await api<{
      ok: boolean;
      error: { code: string; kafkaError: string; message: string };
    }>('POST', '/clusters/test', {
      kind: 'kafka',
      name: 'nothing there',
      bootstrapServers: ['127.0.0.1:1'],
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', kafkaError: 'CONNECTION_REFUSED' },
    });
    const tlsToPlain = await api<{ ok: boolean; error: { kafkaError: string } }>(
      'POST',
      '/clusters/test',
      {
        kind: 'kafka',
        name: 'tls to a plaintext port',
        bootstrapServers: [broker.bootstrap],
        tls: { enabled: true },
      },
    );
    expect(tlsToPlain.ok).toBe(false);
    expect(['TLS_FAILURE', 'CONNECTION_CLOSED', 'CONNECTION_REFUSED', 'TIMEOUT']).toContain(
      tlsToPlain.error.kafkaError,
    );
    const details = await api<{ overview: null | object; overviewError?: { code: string } }>(
      'GET',
      `/clusters/${created.id}`,
    );
    expect(details.overview).not.toBeNull();
    await api('DELETE', `/clusters/${created.id}`);
  });

  it('connects to a broker with TLS and SASL/SCRAM, and names a wrong password', async () => {
    const dir = await temporaryDir('browse-secure');
    const users = join(dir, 'users.json');
    await writeFile(
      users,
      JSON.stringify({ users: [{ username: 'alice', password: 'alice-secret' }] }),
    );
    const fixtures = join(repoRoot, 'broker', 'server', 'fixtures');
    const secure = await startBroker(
      [
        '--tls-cert',
        join(fixtures, 'localhost.cert.pem'),
        '--tls-key',
        join(fixtures, 'localhost.key.pem'),
        '--sasl-users',
        users,
      ],
      { dataDir: join(dir, 'data') },
    );
    try {
      const ca = await readFile(join(fixtures, 'localhost.cert.pem'), 'utf8');
      const settings = (password: string) => ({
        kind: 'kafka',
        name: 'Secure',
        bootstrapServers: [secure.bootstrap],
        sasl: { mechanism: 'scram-sha-512', username: 'alice', password },
        tls: { enabled: true, ca },
      });
      const cluster = await api<{ id: string; sasl: { hasPassword: boolean } }>(
        'POST',
        '/clusters',
        settings('alice-secret'),
      );
      expect(cluster.sasl.hasPassword).toBe(true);
      expect(await api('POST', `/clusters/${cluster.id}/test`)).toMatchObject({
        ok: true,
        brokers: 1,
      });
      await api('POST', `/clusters/${cluster.id}/topics`, { name: 'secure.topic' });
      await api('POST', `/clusters/${cluster.id}/topics/secure.topic/messages`, {
        key: 'k',
        value: 'over TLS and SCRAM',
      });
      const page = await api<MessagePage>(
        'GET',
        `/clusters/${cluster.id}/topics/secure.topic/messages`,
      );
      expect(page.messages.map((m) => m.value)).toEqual(['over TLS and SCRAM']);

      const wrong = await api<{ ok: boolean; error: { code: string; kafkaError: string } }>(
        'POST',
        '/clusters/test',
        settings('wrong'),
      );
      expect(wrong).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHORIZED', kafkaError: 'SASL_AUTHENTICATION_FAILED' },
      });
      const untrusted = await api<{ ok: boolean; error: { kafkaError: string; message: string } }>(
        'POST',
        '/clusters/test',
        {
          ...settings('alice-secret'),
          tls: { enabled: true },
        },
      );
      expect(untrusted).toMatchObject({ ok: false, error: { kafkaError: 'TLS_FAILURE' } });
      expect(untrusted.error.message).toMatch(/CA certificate/);
      await api('DELETE', `/clusters/${cluster.id}`);
    } finally {
      expect(await secure.process.stop()).toBe(0);
    }
  });
});
