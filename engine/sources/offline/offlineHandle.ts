/**
 * An offline cluster's source as ClusterSources hands it out: usable at once (the browse
 * code takes a reader synchronously), opening the files on first use. A path that cannot be
 * opened fails each call with the same error, which says why.
 */
import type {
  FetchRequest,
  FetchResult,
  LogReader,
  PartitionOffsets,
} from '../../browse/logReader';
import { RecordSizeEstimate } from '../../browse/partitionScan';
import type { OfflineSource } from './offlineSource';
import { openOfflineSource } from './openOfflineSource';

export class OfflineHandle implements LogReader {
  private readonly estimates = new Map<string, RecordSizeEstimate>();
  readonly opened: Promise<OfflineSource>;

  constructor(readonly path: string) {
    this.opened = openOfflineSource(path);
    this.opened.catch(() => {}); // reported to each caller, never unhandled
  }

  sizes(topic: string): RecordSizeEstimate {
    let estimate = this.estimates.get(topic);
    if (!estimate) {
      estimate = new RecordSizeEstimate();
      this.estimates.set(topic, estimate);
    }
    return estimate;
  }

  async offsets(topic: string): Promise<PartitionOffsets[]> {
    return (await this.opened).offsets(topic);
  }

  async offsetsForTimestamp(
    topic: string,
    partitions: number[],
    timestamp: number,
  ): Promise<Map<number, number>> {
    return (await this.opened).offsetsForTimestamp(topic, partitions, timestamp);
  }

  async fetch(topic: string, requests: FetchRequest[]): Promise<Map<number, FetchResult>> {
    const result = await (await this.opened).fetch(topic, requests);
    for (const fetched of result.values()) this.sizes(topic).observe(fetched.records);
    return result;
  }

  async close(): Promise<void> {
    await (await this.opened.catch(() => null))?.close();
  }
}
