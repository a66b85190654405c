/**
 * Export and import through the engine API against a real broker process: a JSON Lines export
 * imported into a fresh topic reproduces keys, values, headers and timestamps exactly (text and
 * binary), checked by a kafkajs consumer nobody here wrote; a filtered range; CSV with chosen
 * fields; validation that reports every bad line and imports nothing; a confirm that names a
 * changed file is refused. Jobs are followed on the WebSocket `jobs` stream.
 */
import { randomBytes } from 'node:crypto';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import kafkajs, { type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportResult, ImportResult, Job } from '../../engine/api';
import type { DownloadTicket, UploadResult } from '../../engine/api/transfer';
import { startBroker, type RunningBroker } from '../support/broker';
import { startEngine, type RunningEngine } from '../support/engine';
import { temporaryDir } from '../support/processes';
import { engineClient, followJob } from '../support/engineClient';

const { Kafka, logLevel } = kafkajs;
let broker: RunningBroker;
let engine: RunningEngine;
let kafka: InstanceType<typeof Kafka>;
let producer: Producer;
let dir: string;

const SOURCE = 'transfer.source';
const T0 = 1_600_000_000_000;

interface Sent {
  partition: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer>;
  timestamp: number;
}
const sent: Sent[] = [];

beforeAll(async () => {
  broker = await startBroker(['--config', 'group.initial.rebalance.delay.ms=0']);
  engine = await startEngine({ name: 'transfer-engine', broker, args: ['--no-demo'] });
  dir = await temporaryDir('transfer-files');
  kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  producer = kafka.producer();
  await producer.connect();
  await createTopic(SOURCE, 2);
  // Text, JSON, binary (invalid UTF-8, NULs, newlines), empty and null keys and values.
  for (let i = 0; i < 400; i++) {
    const partition = i % 2;
    const binary = i % 3 === 0;
    const message: Sent = {
      partition,
      key:
        i % 7 === 0 ? null : binary ? Buffer.from([0xff, i % 256, 0, 10]) : Buffer.from(`k-${i}`),
      value:
        i % 11 === 0
          ? null
          : binary
            ? randomBytes(1 + (i % 50))
            : Buffer.from(JSON.stringify({ n: i, text: `zeile ${i}, "quoted"\nüñ ✓` })),
      headers: {
        trace: Buffer.from(`t-${i}`),
        ...(binary ? { raw: Buffer.from([0x80, 0x81, i % 256]) } : {}),
        ...(i % 5 === 0 ? { empty: Buffer.alloc(0) } : {}),
      },
      timestamp: T0 + i * 1000 + (i % 3),
    };
    sent.push(message);
  }
  await producer.send({
    topic: SOURCE,
    acks: -1,
    messages: sent.map((m) => ({
      partition: m.partition,
      key: m.key,
      value: m.value,
      headers: m.headers,
      timestamp: String(m.timestamp),
    })),
  });
});

afterAll(async () => {
  await producer?.disconnect();
  expect(await engine?.stop()).toBe(0);
  expect(await broker?.process.stop()).toBe(0);
});

const { api, apiError } = engineClient(() => engine);

async function createTopic(name: string, partitions: number) {
  await api('POST', '/clusters/local/topics', { name, partitions, configs: {} });
}

/** Starts a job and waits for its end on the WebSocket `jobs` stream. */
const runJob = (path: string, body: unknown) =>
  followJob(engine, () => api<Job>('POST', path, body));

/** Everything in a topic, per partition in offset order, read by a kafkajs consumer. */
async function consumeAll(topic: string, count: number) {
  const consumer = kafka.consumer({ groupId: `check-${topic}-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const got: {
    partition: number;
    offset: number;
    key: Buffer | null;
    value: Buffer | null;
    headers: Record<string, Buffer>;
    timestamp: number;
  }[] = [];
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachMessage: async ({ partition, message }) => {
          const headers: Record<string, Buffer> = {};
          for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = v as Buffer;
          got.push({
            partition,
            offset: Number(message.offset),
            key: message.key,
            value: message.value,
            headers,
            timestamp: Number(message.timestamp),
          });
          if (got.length === count) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return got.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

const exportPath = () => join(dir, `export-${randomBytes(4).toString('hex')}.jsonl`);

describe('export and import', () => {
  it('exports JSON Lines and imports them into a new topic with the same bytes, headers and timestamps', async () => {
    const file = exportPath();
    const exported = await runJob(`/clusters/local/topics/${SOURCE}/exports`, { path: file });
    expect(exported.state).toBe('succeeded');
    const result = exported.result as ExportResult;
    expect(result).toMatchObject({ messages: 400, scanned: 400, format: 'jsonl', path: file });
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(400);
    const first = JSON.parse(
      lines.find((l) => JSON.parse(l).offset === 0 && JSON.parse(l).partition === 0)!,
    );
    expect(first).toMatchObject({
      partition: 0,
      offset: 0,
      timestamp: T0,
      key: null,
      keyEncoding: 'utf8',
      valueEncoding: 'utf8',
      value: null,
    });
    expect(lines.some((l) => JSON.parse(l).valueEncoding === 'base64')).toBe(true);

    // Validate: no problems, nothing produced yet.
    await createTopic('transfer.copy', 2);
    const validation = await runJob('/clusters/local/topics/transfer.copy/imports', { path: file });
    const checked = validation.result as ImportResult;
    expect(checked).toMatchObject({
      lines: 400,
      valid: 400,
      invalid: 0,
      imported: 0,
      validatedOnly: true,
      problems: [],
    });
    const before = await api<{ partitions: { highWatermark: number }[] }>(
      'GET',
      '/clusters/local/topics/transfer.copy',
    );
    expect(before.partitions.every((p) => p.highWatermark === 0)).toBe(true);

    const imported = await runJob('/clusters/local/topics/transfer.copy/imports', {
      path: file,
      confirm: { fingerprint: checked.fingerprint },
    });
    expect(imported.state).toBe('succeeded');
    expect(imported.result).toMatchObject({ imported: 400, validatedOnly: false });

    // A consumer nobody here wrote sees exactly what was produced to the source, in order.
    const copy = await consumeAll('transfer.copy', 400);
    const expected = [0, 1].flatMap((p) => sent.filter((m) => m.partition === p));
    expect(
      copy.map((m) => ({
        partition: m.partition,
        key: m.key,
        value: m.value,
        headers: m.headers,
        timestamp: m.timestamp,
      })),
    ).toEqual(
      expected.map((m) => ({
        partition: m.partition,
        key: m.key,
        value: m.value,
        headers: m.headers,
        timestamp: m.timestamp,
      })),
    );
    // And exporting the copy gives the same file, byte for byte.
    const again = exportPath();
    await runJob('/clusters/local/topics/transfer.copy/exports', { path: again });
    expect(await readFile(again, 'utf8')).toBe(await readFile(file, 'utf8'));
  });

  it('downloads a finished export once through a one-time link, and takes it back as an upload', async () => {
    const exported = await runJob(`/clusters/local/topics/${SOURCE}/exports`, {});
    expect(exported.state).toBe('succeeded');
    const result = exported.result as ExportResult;
    expect(result.messages).toBe(400);
    const ticket = await api<DownloadTicket>('POST', `/jobs/${exported.id}/download`);
    expect(ticket.fileName).toMatch(new RegExp(`^${SOURCE.replace('.', '\\.')}-.+\\.jsonl$`));
    expect(ticket.url).toMatch(/^\/api\/v1\/downloads\/[A-Za-z0-9_-]+$/);
    const origin = new URL(engine.base).origin;

    // The link needs no bearer token (a browser navigates to it), and works once.
    const download = await fetch(`${origin}${ticket.url}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="${ticket.fileName}"; filename*=UTF-8''${encodeURIComponent(ticket.fileName)}`,
    );
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.length).toBe(ticket.bytes);
    expect(bytes.equals(await readFile(result.path))).toBe(true);
    for (const url of [ticket.url, '/api/v1/downloads/not-a-ticket']) {
      const again = await fetch(`${origin}${url}`);
      expect(again.status).toBe(404);
      expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(
        /unknown, used or expired/,
      );
    }
    // Only finished exports have a file.
    const notExport = await apiError(
      'POST',
      `/jobs/${(await runJob('/clusters/local/topics/transfer.source/imports', { path: result.path })).id}/download`,
    );
    expect(notExport.status).toBe(400);

    // Upload: the bytes as the body, with the token; the name is cut down to a safe file name.
    const unauthorised = await fetch(`${engine.base}/uploads?name=x.jsonl`, {
      method: 'POST',
      body: bytes,
    });
    expect(unauthorised.status).toBe(401);
    const upload = await fetch(
      `${engine.base}/uploads?name=${encodeURIComponent('../../up "load".jsonl')}`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${engine.token}`,
          'content-type': 'application/octet-stream',
        },
        body: bytes,
      },
    );
    expect(upload.status).toBe(201);
    const uploaded = (await upload.json()) as UploadResult;
    expect(uploaded).toMatchObject({ fileName: 'up _load_.jsonl', bytes: bytes.length });
    expect((await readFile(uploaded.path)).equals(bytes)).toBe(true);
    const validation = await runJob(`/clusters/local/topics/${SOURCE}/imports`, {
      path: uploaded.path,
    });
    expect(validation.result).toMatchObject({ lines: 400, valid: 400, invalid: 0, imported: 0 });
  });

  it('imports null header values and repeated header keys in their order, and exports them back the same', async () => {
    await createTopic('transfer.headers', 1);
    const file = join(dir, 'headers.jsonl');
    const line = {
      partition: 0,
      offset: 0,
      timestamp: T0,
      timestampType: 'CreateTime',
      key: 'k',
      keyEncoding: 'utf8',
      value: 'v',
      valueEncoding: 'utf8',
      headers: [
        { key: 'a', value: '1', encoding: 'utf8' },
        { key: 'b', value: null, encoding: 'utf8' },
        { key: 'a', value: '2', encoding: 'utf8' },
      ],
    };
    await writeFile(file, `${JSON.stringify(line)}\n`);
    const check = (await runJob('/clusters/local/topics/transfer.headers/imports', { path: file }))
      .result as ImportResult;
    expect(check).toMatchObject({ lines: 1, valid: 1, invalid: 0 });
    const imported = await runJob('/clusters/local/topics/transfer.headers/imports', {
      path: file,
      confirm: { fingerprint: check.fingerprint },
    });
    expect(imported.result).toMatchObject({ imported: 1 });
    const again = exportPath();
    await runJob('/clusters/local/topics/transfer.headers/exports', { path: again });
    expect(await readFile(again, 'utf8')).toBe(await readFile(file, 'utf8'));
  });

  it('exports a filtered range of some partitions, and CSV with chosen fields', async () => {
    const file = exportPath();
    const job = await runJob(`/clusters/local/topics/${SOURCE}/exports`, {
      path: file,
      partitions: [1],
      from: { timestamp: T0 + 100_000 },
      to: { timestamp: T0 + 200_000 },
      filter: 'offset % 5 == 0',
    });
    const lines = (await readFile(file, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const want = sent
      .map((m, i) => ({ ...m, i }))
      .filter((m) => m.partition === 1 && m.timestamp >= T0 + 100_000 && m.timestamp < T0 + 200_000)
      .map((m) => (m.i - 1) / 2)
      .filter((offset) => offset % 5 === 0);
    expect(lines.map((l) => l.offset)).toEqual(want);
    expect(lines.every((l) => l.partition === 1)).toBe(true);
    expect(job.result).toMatchObject({ messages: want.length, scanned: 50 });

    const csv = join(dir, 'out.csv');
    await runJob(`/clusters/local/topics/${SOURCE}/exports`, {
      path: csv,
      format: 'csv',
      partitions: [0],
      to: { offset: 3 },
      fields: ['offset', 'timestamp', 'key'],
    });
    expect(await readFile(csv, 'utf8')).toBe(
      `offset,timestamp,key\r\n0,${T0},\r\n1,${T0 + 2002},k-2\r\n2,${T0 + 4001},k-4\r\n`,
    );
    const exists = await apiError('POST', `/clusters/local/topics/${SOURCE}/exports`, {
      path: csv,
    });
    expect(exists.status).toBe(409);
  });

  it('reports every bad line and imports nothing, and refuses a confirm for a changed file', async () => {
    await createTopic('transfer.bad', 1);
    const file = join(dir, 'bad.jsonl');
    await writeFile(
      file,
      [
        '{"key": "a", "value": "fine"}',
        '{"key": "a", "value": "fine"',
        '',
        '{"partition": 3, "value": "x"}',
        '{"value": "@@@", "valueEncoding": "base64"}',
        '{"value": "fine again", "timestamp": 1}',
        '"just a string"',
      ].join('\n'),
    );
    const validation = await runJob('/clusters/local/topics/transfer.bad/imports', { path: file });
    const result = validation.result as ImportResult;
    expect(result).toMatchObject({ lines: 6, valid: 2, invalid: 4, imported: 0 });
    expect(result.problems.map((p) => p.line)).toEqual([2, 4, 5, 7]);
    expect(result.problems[1]!.problem).toMatch(/partition 3 does not exist/);
    expect(result.problems[2]!.problem).toMatch(/base64/);

    const refused = await runJob('/clusters/local/topics/transfer.bad/imports', {
      path: file,
      confirm: { fingerprint: result.fingerprint },
    });
    expect(refused.state).toBe('failed');
    expect(refused.error?.code).toBe('VALIDATION_FAILED');

    await appendFile(file, '\n{"value": "late"}');
    const changed = await runJob('/clusters/local/topics/transfer.bad/imports', {
      path: file,
      confirm: { fingerprint: result.fingerprint },
      skipInvalid: true,
    });
    expect(changed.state).toBe('failed');
    expect(changed.error?.code).toBe('CONFLICT');
    const topic = await api<{ partitions: { highWatermark: number }[] }>(
      'GET',
      '/clusters/local/topics/transfer.bad',
    );
    expect(topic.partitions[0]!.highWatermark).toBe(0);

    // Confirmed with skipInvalid against the current fingerprint: the valid lines go in.
    const current = (await runJob('/clusters/local/topics/transfer.bad/imports', { path: file }))
      .result as ImportResult;
    const partial = await runJob('/clusters/local/topics/transfer.bad/imports', {
      path: file,
      confirm: { fingerprint: current.fingerprint },
      skipInvalid: true,
    });
    expect(partial.result).toMatchObject({ imported: 3, invalid: 4 });
    const missing = await apiError('POST', '/clusters/local/topics/transfer.bad/imports', {
      path: join(dir, 'nope.jsonl'),
    });
    expect(missing.status).toBe(404);
  });
});
