/**
 * Offline clusters through a real `logscope serve`: a Kafka log directory built from bytes
 * real clients encoded (engine/sources/offline/testing) is added with
 * `POST /api/v1/clusters {kind: "offline", path}`, then read with the same API as a live
 * cluster — topics, partitions, segments as real files, messages, a sample job and a scan job
 * over the files — and replayed into the local broker, where kcat must find exactly the
 * records the files hold. A damaged copy reports its damage with the segments.
 */
import { cp, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Cluster,
  ConnectionTest,
  Job,
  MessagePage,
  ReplayResult,
  SampleResult,
  ScanResult,
  SegmentList,
  TopicDetails,
  TopicSummary,
} from '../../engine/api';
import { initCompression, iterateLogEntries } from '../../broker/protocol/records';
import type { RawRecord } from '../../engine/browse/record';
import { entryRecords, type GoodEntry } from '../../engine/sources/offline/entryRecords';
import {
  writeFixtureLogDir,
  type FixtureLayout,
} from '../../engine/sources/offline/testing/kafkaDirFixture';
import { engineClient, followJob } from '../support/engineClient';
import { kcatOk } from '../support/kcat';
import { startServe, temporaryDir, type ServedApp } from '../support/processes';

let app: ServedApp;
let base: string;
let fixture: string;
let layout: FixtureLayout;
let offlineId: string;
let bootstrap: string;

beforeAll(async () => {
  await initCompression();
  const dir = await temporaryDir('offline-api');
  fixture = join(dir, 'kafka-logs');
  layout = await writeFixtureLogDir(fixture);
  app = await startServe(['--no-demo']);
  base = `${app.baseUrl}api/v1`;
  const { clusters } = await api<{ clusters: Cluster[] }>('GET', '/clusters');
  bootstrap = clusters.find((c) => c.id === 'local')!.bootstrapServers![0]!;
  offlineId = (
    await api<Cluster>('POST', '/clusters', { kind: 'offline', name: 'copied', path: fixture })
  ).id;
});

afterAll(async () => {
  expect(await app?.process.stop()).toBe(0);
});

const { api, apiError } = engineClient(() => ({ base, token: app.token }));

/** Starts a job and follows it on the WebSocket `jobs` stream until it ends. */
const runJob = (start: () => Promise<Job>) => followJob({ base, token: app.token }, start);

/** The records the fixture files hold, decoded here from the bytes that were written. */
function fileRecords(partition: number): RawRecord[] {
  const entries = partition === 0 ? layout.events0.flatMap((s) => s.entries) : layout.events1;
  const records: RawRecord[] = [];
  for (const bytes of entries) {
    for (const entry of iterateLogEntries(bytes)) {
      if (entry.kind === 'batch' || entry.kind === 'legacy')
        records.push(...entryRecords(entry as GoodEntry, partition));
    }
  }
  return records;
}

const text = (b: Buffer | null) => (b === null ? null : b.toString('utf8'));

describe('an offline cluster through the engine API', () => {
  it('refuses a path that is not Kafka data, saying what it is', async () => {
    const error = await apiError('POST', '/clusters', {
      kind: 'offline',
      path: join(fixture, 'meta.properties'),
    });
    expect(error.status).toBeGreaterThanOrEqual(400);
    expect(error.status).toBeLessThan(500);
    expect(error.body.error.message).toContain('meta.properties');
  });

  it('asks for a full path instead of reading a relative one from its own working folder', async () => {
    const error = await apiError('POST', '/clusters', { kind: 'offline', path: 'kafka-logs' });
    expect(error.status).toBe(400);
    expect(error.body.error.message).toContain('Give the full path of the folder or file');
  });

  it('lists topics, partitions and segments as real files with their index entries', async () => {
    const cluster = await api<{ overview: { clusterId: string | null; topicCount: number } }>(
      'GET',
      `/clusters/${offlineId}`,
    );
    expect(cluster.overview).toMatchObject({ clusterId: 'fixture-cluster-id-000', topicCount: 2 });
    const { topics } = await api<{ topics: TopicSummary[] }>(
      'GET',
      `/clusters/${offlineId}/topics`,
    );
    expect(topics.map((t) => [t.name, t.partitions, t.messages])).toEqual([
      ['events', 2, 632],
      ['my-topic-with-dashes', 1, 3],
    ]);
    const details = await api<TopicDetails>('GET', `/clusters/${offlineId}/topics/events`);
    expect(details.partitions.map((p) => [p.partition, p.highWatermark, p.segmentCount])).toEqual([
      [0, 625, 2],
      [1, 7, 1],
    ]);
    const list = await api<SegmentList>(
      'GET',
      `/clusters/${offlineId}/topics/events/partitions/0/segments`,
    );
    expect(list.damage).toEqual([]);
    expect(
      list.segments.map((s) => [s.file, s.baseOffset, s.lastOffset, s.records, s.damage]),
    ).toEqual([
      [join('events-0', '00000000000000000000.log'), 0, 24, 25, []],
      [join('events-0', '00000000000000000025.log'), 25, 624, 600, []],
    ]);
    for (const s of list.segments) {
      expect(s.indexEntries).toBeTypeOf('number');
      expect(s.timeIndexEntries).toBeTypeOf('number');
    }
  });

  it('pages messages from the files like from a broker', async () => {
    const page = await api<MessagePage>(
      'GET',
      `/clusters/${offlineId}/topics/events/messages?partition=0&offset=20&limit=10`,
    );
    const expected = fileRecords(0)
      .filter((r) => r.offset >= 20)
      .slice(0, 10);
    expect(page.messages.map((m) => [m.offset, m.key, m.timestamp])).toEqual(
      expected.map((r) => [r.offset, text(r.key), r.timestamp]),
    );
  });

  it('samples and scans the files', async () => {
    const sample = await runJob(() =>
      api<Job>('POST', `/clusters/${offlineId}/topics/events/samples`, {
        size: 100,
        fields: ['$.n'],
        seed: 7,
      }),
    );
    expect(sample.state).toBe('succeeded');
    const sampled = sample.result as SampleResult;
    expect(sampled.populationSize).toBe(632);
    expect(sampled.recordsRead).toBe(100);
    // Every sampled record is the one the files hold at that offset.
    const byOffset = new Map(
      [0, 1].flatMap((p) => fileRecords(p).map((r) => [`${p}/${r.offset}`, r] as const)),
    );
    sampled.sampled.forEach(([partition, offset], i) => {
      const record = byOffset.get(`${partition}/${offset}`)!;
      const value = text(record.value) ?? '';
      const n = value.startsWith('{"n":') ? (JSON.parse(value) as { n: number }).n : null;
      expect(sampled.columns['$.n']![i]).toBe(n);
    });

    const scan = await runJob(() =>
      api<Job>('POST', `/clusters/${offlineId}/topics/events/scans`, { fields: ['$.n'] }),
    );
    expect(scan.state).toBe('succeeded');
    const scanned = scan.result as ScanResult;
    expect(scanned.recordsRead).toBe(632);
    const stats = scanned.fields[0]!.numeric!.stats;
    const ns = fileRecords(0)
      .map((r) => text(r.value) ?? '')
      .filter((v) => v.startsWith('{"n":'))
      .map((v) => (JSON.parse(v) as { n: number }).n);
    expect([stats.count, stats.min, stats.max, stats.sum]).toEqual([
      ns.length,
      Math.min(...ns),
      Math.max(...ns),
      ns.reduce((a, b) => a + b, 0),
    ]);
  });

  it('replays a topic from the files into the local broker: kcat reads back exactly the files’ records', async () => {
    const job = await runJob(() =>
      api<Job>('POST', '/replays', {
        source: { cluster: offlineId, topic: 'events' },
        target: { cluster: 'local', topic: 'restored.events', create: true },
      }),
    );
    expect(job.state).toBe('succeeded');
    expect(job.result).toEqual({
      dryRun: false,
      scanned: 632,
      sent: 632,
      skipped: 0,
      failed: 0,
      targetCreated: true,
    } satisfies ReplayResult);
    const out = await kcatOk(['-C', '-b', bootstrap, '-t', 'restored.events', '-e', '-J', '-q']);
    const copy = out
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            partition: number;
            ts: number;
            key: string | null;
            payload: string | null;
            headers?: string[];
          },
      )
      .sort((a, b) => a.partition - b.partition);
    const original = [0, 1].flatMap(fileRecords);
    expect(copy.map((m) => [m.partition, m.ts, m.key, m.payload, m.headers ?? []])).toEqual(
      original.map((r) => [
        r.partition,
        r.timestamp,
        text(r.key),
        text(r.value),
        r.headers.flatMap((h) => [h.key, text(h.value)]),
      ]),
    );
  });
});

describe('a copy with a flipped bit', () => {
  it('shows the checksum mismatch on the topic at once, before any segment is listed', async () => {
    const dir = join(fixture, '..', 'flipped');
    await cp(fixture, dir, { recursive: true });
    const path = join(dir, 'events-0', '00000000000000000025.log');
    const bytes = await readFile(path);
    bytes[5000] = bytes[5000]! ^ 0x10;
    await writeFile(path, bytes);
    const { id } = await api<Cluster>('POST', '/clusters', { kind: 'offline', path: dir });
    const details = await api<TopicDetails>('GET', `/clusters/${id}/topics/events`);
    expect(details.partitions[0]!.damageChecked).toBe(true);
    expect(details.partitions[0]!.damage).toEqual([
      expect.objectContaining({
        file: join('events-0', '00000000000000000025.log'),
        kind: 'CRC_MISMATCH',
        effect: 'skipped',
      }),
    ]);
    // The skipped batch's records are missing; the rest of the partition still reads.
    expect(details.partitions[0]!.highWatermark).toBe(625);
  });
});

describe('testing an offline cluster', () => {
  it('says whether its files open, and opens them again once the folder is back', async () => {
    const dir = join(fixture, '..', 'moved');
    await cp(fixture, dir, { recursive: true });
    const { id } = await api<Cluster>('POST', '/clusters', { kind: 'offline', path: dir });
    expect(await api<ConnectionTest>('POST', `/clusters/${id}/test`)).toMatchObject({ ok: true });
    await api('DELETE', `/clusters/${id}`);
    const { id: again } = await api<Cluster>('POST', '/clusters', { kind: 'offline', path: dir });
    await rename(dir, `${dir}-elsewhere`);
    const failed = await api<ConnectionTest>('POST', `/clusters/${again}/test`);
    expect(failed.ok).toBe(false);
    expect(failed.error?.message).toContain(dir);
    await rename(`${dir}-elsewhere`, dir);
    expect(await api<ConnectionTest>('POST', `/clusters/${again}/test`)).toMatchObject({
      ok: true,
    });
  });
});

describe('a damaged copy', () => {
  it('reports the damage with its segment, plainly, and keeps everything before it readable', async () => {
    const dir = join(fixture, '..', 'damaged');
    await cp(fixture, dir, { recursive: true });
    const path = join(dir, 'events-0', '00000000000000000025.log');
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, bytes.length - 20));
    const { id } = await api<Cluster>('POST', '/clusters', {
      kind: 'offline',
      name: 'damaged',
      path: dir,
    });
    const list = await api<SegmentList>(
      'GET',
      `/clusters/${id}/topics/events/partitions/0/segments`,
    );
    expect(list.damage).toEqual([
      expect.objectContaining({
        file: join('events-0', '00000000000000000025.log'),
        kind: 'TRUNCATED',
        offset: 615,
        effect: 'stopped',
        readableBefore: 615,
      }),
    ]);
    expect(list.damage![0]!.explanation).toMatch(/615/);
    expect(list.segments[1]!.damage).toEqual(list.damage);
    const details = await api<TopicDetails>('GET', `/clusters/${id}/topics/events`);
    expect(details.partitions[0]!.highWatermark).toBe(615);
    expect(details.partitions[0]!.damage).toEqual(list.damage);
    expect(details.partitions.map((p) => p.damageChecked)).toEqual([true, true]);
    const page = await api<MessagePage>(
      'GET',
      `/clusters/${id}/topics/events/messages?partition=0&offset=605&limit=100`,
    );
    expect(page.messages.map((m) => m.offset)).toEqual(
      Array.from({ length: 10 }, (_, i) => 605 + i),
    );
  });
});
