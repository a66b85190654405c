/**
 * `logscope-broker export-kafka-dir`: a broker data directory's topics written as a Kafka log
 * directory. Batches go out as stored (as the producer sent them, with their offsets), one
 * `.log` per Logscope segment, so the files are what a Kafka broker would have written.
 */
import { CommitLog } from '../commitLog';
import { writeKafkaLogDir, type PartitionToWrite } from './kafkaDirWriter';

export interface ExportSummary {
  topics: number;
  partitions: number;
  segments: number;
  batches: number;
  bytes: number;
}

const READ_BYTES = 4 * 1024 * 1024;

/** Exports from an open log (read-only is enough). */
export async function exportKafkaDir(
  log: CommitLog,
  out: string,
  options: { clusterId: string; nodeId?: number },
): Promise<ExportSummary> {
  const summary: ExportSummary = { topics: 0, partitions: 0, segments: 0, batches: 0, bytes: 0 };
  const partitions: PartitionToWrite[] = [];
  for (const topic of log.listTopics()) {
    summary.topics++;
    for (let partition = 0; partition < topic.partitions; partition++) {
      summary.partitions++;
      const state = log.partitionSummary(topic.name, partition);
      const segments: PartitionToWrite['segments'] = [];
      for (const segment of log.segments(topic.name, partition)) {
        if (segment.lastOffset < segment.baseOffset || segment.lastOffset < state.logStartOffset)
          continue;
        const entries: Buffer[] = [];
        let offset = Math.max(segment.baseOffset, state.logStartOffset);
        while (offset <= segment.lastOffset) {
          const read = await log.read(topic.name, partition, offset, READ_BYTES);
          if (read.batches.length === 0) break;
          for (const batch of read.batches) {
            const base = Number(batch.readBigInt64BE(0));
            const last = base + batch.readInt32BE(23);
            if (base > segment.lastOffset) break;
            if (last >= offset) entries.push(Buffer.from(batch));
            offset = last + 1;
          }
        }
        if (entries.length === 0) continue;
        const baseOffset = Number(entries[0]!.readBigInt64BE(0));
        segments.push({ baseOffset, entries });
        summary.segments++;
        summary.batches += entries.length;
        summary.bytes += entries.reduce((sum, e) => sum + e.length, 0);
      }
      partitions.push({
        topic: topic.name,
        partition,
        topicId: topic.id,
        segments,
        logStartOffset: state.logStartOffset,
        highWatermark: state.highWatermark,
      });
    }
  }
  await writeKafkaLogDir(out, partitions, options);
  return summary;
}

/** Opens `dataDir` read-only, exports it, closes it. */
export async function exportKafkaDirFrom(
  dataDir: string,
  out: string,
  options: { clusterId: string; nodeId?: number },
): Promise<ExportSummary> {
  const log = await CommitLog.open(dataDir, { readOnly: true });
  try {
    return await exportKafkaDir(log, out, options);
  } finally {
    await log.close();
  }
}
