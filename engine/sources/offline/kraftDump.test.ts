import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpLines } from './testing/dumpLines';
import {
  KRAFT_LOG_DIR_ID,
  KRAFT_TOPIC_ID,
  writeKraftMetadataPartition,
} from './testing/kraftMetadataLog';

let root: string;
let segment: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'logscope-kraft-dump-'));
  segment = await writeKraftMetadataPartition(join(root, 'kraft-logs'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function records(...argv: string[]): Promise<Record<string, unknown>[]> {
  const { code, lines, stderr } = await dumpLines(...argv);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return lines;
}

describe('logscope dump --records on __cluster_metadata-0', () => {
  it('prints every metadata record decoded, by type with its fields', async () => {
    const lines = await records(segment, '--records');
    const decoded = lines.map((line) => line.decoded as Record<string, unknown>);
    expect(decoded.map((d) => `${String(d.typeName)} v${String(d.version)}`)).toEqual([
      'FeatureLevelRecord v0',
      'RegisterBrokerRecord v3',
      'TopicRecord v0',
      'PartitionRecord v1',
      'UserScramCredentialRecord v0',
      'PartitionChangeRecord v0',
      'TopicRecord v7',
    ]);
    expect(decoded[0]!.fields).toEqual({ name: 'metadata.version', featureLevel: 19 });
    expect(decoded[1]!.fields).toMatchObject({
      brokerId: 1,
      endPoints: [{ name: 'PLAINTEXT', host: 'localhost', port: 9092, securityProtocol: 0 }],
      logDirs: [KRAFT_LOG_DIR_ID],
    });
    expect(decoded[2]!.fields).toEqual({ name: 'orders', topicId: KRAFT_TOPIC_ID });
    expect(decoded[3]!.fields).toMatchObject({
      partitionId: 0,
      topicId: KRAFT_TOPIC_ID,
      replicas: [1],
      leader: 1,
      directories: [KRAFT_LOG_DIR_ID],
    });
    expect(decoded[5]!.fields).toEqual({ partitionId: 0, topicId: KRAFT_TOPIC_ID, leader: -1 });
    expect(decoded[6]).toMatchObject({
      note: 'version 7 of TopicRecord is newer than this reader knows',
      body: expect.any(String),
    });
    expect(lines.map((line) => line.offset)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('shows SCRAM credentials as their length only, nowhere their bytes', async () => {
    const lines = await records(segment, '--records', '--from-offset', '4', '--to-offset', '4');
    expect(lines).toHaveLength(1);
    const decoded = lines[0]!.decoded as { fields: Record<string, unknown> };
    expect(decoded.fields).toMatchObject({
      name: 'alice',
      salt: { redacted: true, length: 4 },
      storedKey: { redacted: true, length: 32 },
      serverKey: { redacted: true, length: 32 },
    });
    // The raw value is left out too: it holds the same bytes.
    expect(lines[0]).toMatchObject({ value: null, valueRedacted: true });
    const line = JSON.stringify(lines[0]);
    expect(line).not.toContain(Buffer.alloc(32, 0xaa).toString('base64'));
    expect(line).not.toContain(Buffer.from([1, 2, 3, 4]).toString('base64'));
  });
});
