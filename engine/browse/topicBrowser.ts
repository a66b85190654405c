/**
 * The message routes of a topic: pages, one message whole, produce, and filtered search jobs.
 * Sources come from ClusterSources; the work is in pager.ts, partitionScan.ts and filter.ts.
 */
import type {
  Job,
  Message,
  MessagePage,
  MessagesQuery,
  ProduceResult,
  SearchBound,
  SearchInput,
  SearchResult,
} from '../api';
import type { z } from 'zod';
import type { MessageQuery, ProduceInput } from '../api';
import { ApiError } from '../http/apiError';
import type { JobManager } from '../jobs/jobManager';
import type { ClusterSources } from '../sources/clusterSources';
import type { KafkaSource } from '../sources/kafkaSource';
import { encodeCursor } from './cursor';
import { encodeField } from './decode';
import { compileFilter, FilterError, type Filter } from './filter';
import type { LogReader } from './logReader';
import { readPage, resolveStart } from './pager';
import { PartitionScan } from './partitionScan';
import { toMessage, WHOLE, type RawHeader } from './record';

/**
 * Compiles a filter from a request, or fails as a validation error on that field. `topic` (the
 * records' topic) lets the expression read `internal` on Kafka's internal topics.
 */
export function filterFrom(text: string | undefined, field: string, topic?: string): Filter | null {
  if (text === undefined || text.trim() === '') return null;
  try {
    return compileFilter(text, topic === undefined ? {} : { topic });
  } catch (error) {
    if (error instanceof FilterError) {
      throw new ApiError('VALIDATION_FAILED', `${field}: ${error.message}`, { field });
    }
    throw error;
  }
}

export class TopicBrowser {
  constructor(
    private readonly sources: ClusterSources,
    private readonly jobs: JobManager,
  ) {}

  async page(cluster: string, topic: string, query: MessagesQuery): Promise<MessagePage> {
    const filter = filterFrom(query.filter, 'query.filter', topic);
    const source = this.sources.reader(cluster);
    return readPage(
      { reader: source, sizes: source.sizes(topic) },
      {
        topic,
        query,
        filter,
        decode: { keyAs: query.keyAs, valueAs: query.valueAs, previewBytes: query.previewBytes },
      },
    );
  }

  /** One message, its value whole. */
  async message(
    cluster: string,
    topic: string,
    partition: number,
    offset: number,
    query: z.infer<typeof MessageQuery>,
  ): Promise<Message> {
    const source = this.sources.reader(cluster);
    const bounds = (await source.offsets(topic)).find((p) => p.partition === partition);
    if (!bounds) {
      throw new ApiError('NOT_FOUND', `Partition ${partition} of topic "${topic}" was not found.`);
    }
    if (offset < bounds.logStartOffset || offset >= bounds.highWatermark) {
      throw new ApiError(
        'NOT_FOUND',
        `There is no message at offset ${offset} of partition ${partition}: the partition holds ` +
          `offsets ${bounds.logStartOffset} to ${bounds.highWatermark - 1}.`,
      );
    }
    // A large first fetch: the batch holding the offset may hold a large value, and the fetch
    // grows on its own when even that is not enough.
    const scan = new PartitionScan({
      topic,
      reader: source,
      direction: 'forward',
      start: new Map([[partition, offset]]),
      end: new Map([[partition, offset + 1]]),
      floor: new Map([[partition, bounds.logStartOffset]]),
      sizes: source.sizes(topic),
    });
    scan.wanted = 1;
    const record = await scan.next();
    if (record === null || record.offset !== offset) {
      throw new ApiError(
        'NOT_FOUND',
        `There is no message at offset ${offset} of partition ${partition} (compacted away, or a transaction marker).`,
      );
    }
    return toMessage(record, { ...WHOLE, keyAs: query.keyAs, valueAs: query.valueAs }, topic);
  }

  async produce(
    cluster: string,
    topic: string,
    input: z.infer<typeof ProduceInput>,
  ): Promise<ProduceResult> {
    const bytes = (text: string | null, encoding: (typeof input)['keyEncoding'], field: string) => {
      try {
        return encodeField(text, encoding);
      } catch (error) {
        throw new ApiError('VALIDATION_FAILED', `${field}: ${(error as Error).message}`, { field });
      }
    };
    if (input.valueEncoding === 'json' && input.value !== null) {
      try {
        JSON.parse(input.value);
      } catch (error) {
        throw new ApiError(
          'VALIDATION_FAILED',
          `body.value: not JSON (${(error as Error).message})`,
          {
            field: 'body.value',
          },
        );
      }
    }
    const headers: RawHeader[] = input.headers.map((header, i) => ({
      key: header.key,
      value: bytes(header.value, header.encoding, `body.headers.${i}.value`),
    }));
    const message: Parameters<KafkaSource['produce']>[1] = {
      key: bytes(input.key, input.keyEncoding, 'body.key'),
      value: bytes(input.value, input.valueEncoding, 'body.value'),
      headers,
    };
    if (input.partition !== undefined) message.partition = input.partition;
    return this.sources.source(cluster).produce(topic, message);
  }

  /** Starts a filtered search over a range as a job; its result is a SearchResult. */
  startSearch(cluster: string, topic: string, input: SearchInput): Job {
    const filter = filterFrom(input.filter, 'body.filter', topic)!;
    const source = this.sources.reader(cluster);
    return this.jobs.start({
      kind: 'search',
      title: `Search ${topic} for ${input.filter}`,
      unit: 'messages',
      run: async (context) => {
        const range = await searchRange(source, topic, input);
        const total = [...range.start].reduce(
          (sum, [partition, offset]) => sum + Math.max(0, range.end.get(partition)! - offset),
          0,
        );
        context.progress(0, { total });
        const scan = new PartitionScan({
          topic,
          reader: source,
          direction: 'forward',
          start: range.start,
          end: range.end,
          floor: range.start,
          sizes: source.sizes(topic),
          signal: context.signal,
        });
        scan.wanted = 5000;
        const messages: Message[] = [];
        const decode = {
          keyAs: input.keyAs,
          valueAs: input.valueAs,
          previewBytes: input.previewBytes,
        };
        let scanned = 0;
        let complete = true;
        for (;;) {
          if (messages.length >= input.maxResults) {
            complete = scan.finished();
            break;
          }
          const record = await scan.next();
          if (record === null) break;
          scanned++;
          if (filter.matches(record)) messages.push(toMessage(record, decode, topic));
          if (scanned % 2000 === 0) {
            context.progress(scanned, { message: `${messages.length} found` });
            await context.checkpoint();
            // Let requests (cancel, pages) be served between chunks.
            await new Promise((resolve) => setImmediate(resolve));
          }
        }
        context.progress(scanned, {
          total: complete ? scanned : total,
          message: `${messages.length} found in ${scanned} messages`,
        });
        const positions = scan.positions();
        const result: SearchResult = {
          messages,
          scanned,
          complete,
          next: complete ? null : encodeCursor({ direction: 'forward', positions }),
        };
        return result;
      },
    });
  }
}

async function searchRange(
  reader: LogReader,
  topic: string,
  input: SearchInput,
): Promise<{ start: Map<number, number>; end: Map<number, number> }> {
  const resolve = async (bound: SearchBound) => {
    const query: Parameters<typeof resolveStart>[2] = { direction: 'forward' };
    if (input.partition !== undefined) query.partition = input.partition;
    if ('offset' in bound) query.offset = bound.offset;
    else if ('timestamp' in bound) query.timestamp = bound.timestamp;
    else query.position = bound.position;
    return (await resolveStart(reader, topic, query)).positions;
  };
  const [start, end] = await Promise.all([resolve(input.from), resolve(input.to)]);
  return { start, end };
}
