import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessagesQuery } from '../../api';
import { compileFilter, FilterError } from '../../browse/filter';
import { readPage } from '../../browse/pager';
import { filterFrom } from '../../browse/topicBrowser';
import { detectOfflinePath } from './detectPath';
import { KafkaLogDirSource } from './kafkaLogDir';
import {
  KRAFT_RECORD_TYPE_NAMES,
  KRAFT_TOPIC_ID,
  writeKraftMetadataPartition,
} from './testing/kraftMetadataLog';

const TOPIC = '__cluster_metadata';
const NO_OPS = 40;

let root: string;
let source: KafkaLogDirSource;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'logscope-kraft-filter-'));
  await writeKraftMetadataPartition(join(root, 'logs'), { noOpRecords: NO_OPS });
  source = await KafkaLogDirSource.open(await detectOfflinePath(join(root, 'logs')));
});
afterAll(async () => {
  await source.close();
  await rm(root, { recursive: true, force: true });
});

async function page(filter: string) {
  return readPage(
    { reader: source, sizes: source.sizes(TOPIC) },
    {
      topic: TOPIC,
      query: MessagesQuery.parse({ limit: 100 }),
      filter: compileFilter(filter, { topic: TOPIC }),
      decode: { keyAs: 'auto', valueAs: 'auto', previewBytes: 0 },
    },
  );
}

const typeNames = (messages: { internal?: { decoded: Record<string, unknown> } }[]) =>
  messages.map((m) => m.internal?.decoded.typeName);

describe('filtering __cluster_metadata by its decoded records', () => {
  it('hides the NoOpRecords and keeps every other record, in offset order', async () => {
    const all = await page('true');
    expect(all.messages).toHaveLength(7 + NO_OPS);
    const { messages } = await page('internal.typeName != "NoOpRecord"');
    expect(typeNames(messages)).toEqual([...KRAFT_RECORD_TYPE_NAMES]);
    expect(messages.map((m) => m.offset)).toEqual([0, 1, 2, 3, 4 + NO_OPS, 5 + NO_OPS, 6 + NO_OPS]);
  });

  it('finds a TopicRecord by the name in its fields, and a partition by its topic id', async () => {
    const byName = await page(
      'internal.typeName == "TopicRecord" && internal.fields.name == "orders"',
    );
    // The second TopicRecord is a version newer than the reader knows: no fields to match.
    expect(byName.messages.map((m) => m.offset)).toEqual([2]);
    const byId = await page(`internal.fields.topicId == "${KRAFT_TOPIC_ID}" && internal.type == 3`);
    expect(typeNames(byId.messages)).toEqual(['PartitionRecord']);
    const byList = await page('internal.fields.isr contains 1 && internal.version == 1');
    expect(byList.messages.map((m) => m.offset)).toEqual([3]);
  });

  it('reads the summary line and the note of a record left raw', async () => {
    const summary = await page('internal.summary startsWith "PartitionChangeRecord"');
    expect(summary.messages.map((m) => m.offset)).toEqual([5 + NO_OPS]);
    const raw = await page('exists(internal.note)');
    expect(raw.messages.map((m) => m.offset)).toEqual([6 + NO_OPS]);
  });

  it('shows SCRAM credentials to a filter only as their lengths, as the Decoded tab does', async () => {
    const { messages } = await page('internal.fields.storedKey.length == 32');
    expect(typeNames(messages)).toEqual(['UserScramCredentialRecord']);
    expect(messages[0]!.value).toBeNull();
    // The key bytes are not there to be matched.
    expect((await page('internal.fields.storedKey contains "qqqq"')).messages).toEqual([]);
  });
});

describe('"internal" where there is no decoded record', () => {
  it('is refused on a topic that is not internal, naming the topics where it works', () => {
    expect(() => compileFilter('internal.typeName == "TopicRecord"', { topic: 'orders' })).toThrow(
      /internal topics __cluster_metadata and __consumer_offsets; the records of "orders" have none.*character 1/,
    );
    expect(() =>
      filterFrom('key == "a" || internal.kind == "x"', 'query.filter', 'orders'),
    ).toThrow(/query.filter: .*at character 15/);
  });

  it('is refused where the topic is not known', () => {
    expect(() => compileFilter('internal.typeName == "TopicRecord"')).toThrow(FilterError);
    expect(() => compileFilter('internal.typeName == "TopicRecord"')).toThrow(
      /needs the topic its records come from/,
    );
  });
});
