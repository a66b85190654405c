/**
 * The local broker's admin HTTP API (loopback): what the Kafka protocol does not carry —
 * segments, and bytes on disk per partition. Expected answers (broker issue, "Admin HTTP"):
 *
 *   GET /v1/topics                                   → {topics: [{name, partitions: [{partition, bytes, segments, …}]}]}
 *   GET /v1/topics/{topic}                           → {name, partitions: [{partition, bytes, segments, …}]}
 *   GET /v1/topics/{topic}/partitions/{p}/segments   → {segments: [{baseOffset, lastOffset, bytes, batches,
 *                                                       records, minTimestamp, maxTimestamp, createdMs, rolledMs, active}]}
 *
 * Parsing is lenient about wrapping (a bare array is fine) and about absent fields, so that a
 * broker with fewer details still browses; -1 timestamps mean "none", as in Kafka.
 */
import { z } from 'zod';
import type { Segment } from '../api';
import { ApiError, notFound } from '../http/apiError';

const Count = z.number().nullable().optional();

const AdminPartition = z.looseObject({
  partition: z.number().int(),
  bytes: Count,
  size: Count,
  segments: z
    .union([z.number(), z.array(z.unknown())])
    .nullable()
    .optional(),
  segmentCount: Count,
});
const AdminTopic = z.looseObject({
  name: z.string(),
  bytes: Count,
  partitions: z.union([z.array(AdminPartition), z.number()]).optional(),
});
const AdminTopicList = z.union([
  z.array(AdminTopic),
  z.looseObject({ topics: z.array(AdminTopic) }),
]);

const AdminSegment = z.looseObject({
  baseOffset: z.number(),
  lastOffset: z.number(),
  bytes: z.number(),
  records: Count,
  batches: Count,
  minTimestamp: Count,
  maxTimestamp: Count,
  firstTimestamp: Count,
  lastTimestamp: Count,
  createdMs: Count,
  createdAt: Count,
  rolledMs: Count,
  rolledAt: Count,
  active: z.boolean().optional(),
});
const AdminSegmentList = z.union([
  z.array(AdminSegment),
  z.looseObject({ segments: z.array(AdminSegment) }),
]);

export interface PartitionStorage {
  bytes: number | null;
  segmentCount: number | null;
}

const known = (n: number | null | undefined): number | null =>
  n === null || n === undefined || n < 0 ? null : n;

function partitionStorage(p: z.infer<typeof AdminPartition>): PartitionStorage {
  const segments = Array.isArray(p.segments) ? p.segments.length : p.segments;
  return { bytes: known(p.bytes ?? p.size), segmentCount: known(p.segmentCount ?? segments) };
}

export class LocalBrokerAdmin {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 5000,
  ) {}

  /** Bytes on disk per topic. */
  async topicBytes(): Promise<Map<string, number>> {
    const parsed = AdminTopicList.parse(await this.get('/v1/topics'));
    const topics = Array.isArray(parsed) ? parsed : parsed.topics;
    const result = new Map<string, number>();
    for (const topic of topics) {
      let bytes = known(topic.bytes);
      if (bytes === null && Array.isArray(topic.partitions)) {
        const sizes = topic.partitions.map((p) => partitionStorage(p).bytes);
        if (sizes.every((s) => s !== null)) bytes = sizes.reduce((a, b) => a! + b!, 0);
      }
      if (bytes !== null) result.set(topic.name, bytes);
    }
    return result;
  }

  /** Bytes and segment count per partition of one topic. */
  async partitionStorage(topic: string): Promise<Map<number, PartitionStorage>> {
    const parsed = AdminTopic.parse(await this.get(`/v1/topics/${encodeURIComponent(topic)}`));
    const result = new Map<number, PartitionStorage>();
    if (Array.isArray(parsed.partitions)) {
      for (const p of parsed.partitions) result.set(p.partition, partitionStorage(p));
    }
    return result;
  }

  async segments(topic: string, partition: number): Promise<Segment[]> {
    const parsed = AdminSegmentList.parse(
      await this.get(`/v1/topics/${encodeURIComponent(topic)}/partitions/${partition}/segments`),
    );
    const segments = Array.isArray(parsed) ? parsed : parsed.segments;
    const last = segments.length - 1;
    return segments
      .map((s, i) => {
        const rolledAt = known(s.rolledMs ?? s.rolledAt);
        return {
          baseOffset: s.baseOffset,
          lastOffset: s.lastOffset,
          bytes: s.bytes,
          records: known(s.records) ?? Math.max(0, s.lastOffset - s.baseOffset + 1),
          batches: known(s.batches),
          firstTimestamp: known(s.minTimestamp ?? s.firstTimestamp),
          lastTimestamp: known(s.maxTimestamp ?? s.lastTimestamp),
          createdAt: known(s.createdMs ?? s.createdAt),
          rolledAt,
          active: s.active ?? (i === last && rolledAt === null),
        };
      })
      .sort((a, b) => a.baseOffset - b.baseOffset);
  }

  private async get(path: string): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new ApiError(
        'UNAVAILABLE',
        `The local broker's admin API at ${this.baseUrl} did not answer: ${(error as Error).message}.`,
        { cause: error },
      );
    }
    if (response.status === 404) throw notFound(`${path.split('/').slice(2).join(' ')}`);
    if (!response.ok) {
      throw new ApiError(
        'UNAVAILABLE',
        `The local broker's admin API answered ${response.status} to ${path}.`,
      );
    }
    return response.json();
  }
}
