/**
 * Calls for exploratory data analysis and live metrics: sample and scan jobs, previews, field
 * suggestions, and following a job to its end over the `jobs` stream.
 */
import type { z } from 'zod';
import type {
  FieldSuggestions,
  Job,
  MetricsSnapshot,
  SampleInput,
  SamplePreview,
  ScanInput,
} from '../../../engine/api';
import { request } from './http';
import { engineStream } from './stream';

export type {
  FieldResult,
  MetricsSnapshot,
  NumericSummary,
  SampleResult,
  ScanResult,
  SampleWarningOut,
} from '../../../engine/api';
export type SampleIn = z.input<typeof SampleInput>;
export type ScanIn = z.input<typeof ScanInput>;
export type SamplePreviewOut = z.infer<typeof SamplePreview>;
export type FieldSuggestionsOut = z.infer<typeof FieldSuggestions>;

const topicPath = (cluster: string, topic: string) =>
  `/clusters/${encodeURIComponent(cluster)}/topics/${encodeURIComponent(topic)}`;

export const edaApi = {
  startSample: (cluster: string, topic: string, body: SampleIn) =>
    request<Job>('POST', `${topicPath(cluster, topic)}/samples`, body),
  previewSample: (cluster: string, topic: string, body: SampleIn) =>
    request<SamplePreviewOut>('POST', `${topicPath(cluster, topic)}/samples/preview`, body),
  startScan: (cluster: string, topic: string, body: ScanIn) =>
    request<Job>('POST', `${topicPath(cluster, topic)}/scans`, body),
  suggestFields: (cluster: string, topic: string) =>
    request<FieldSuggestionsOut>('GET', `${topicPath(cluster, topic)}/fields`),
  cancelJob: (job: string) => request<Job>('POST', `/jobs/${encodeURIComponent(job)}/cancel`),
};

/** Calls `onUpdate` with every state of the job until it finishes; returns an unsubscribe. */
export function followJob(id: string, onUpdate: (job: Job) => void): () => void {
  let stop: (() => void) | null = null;
  let finished = false;
  stop = engineStream.subscribe('jobs', { job: id }, (data) => {
    const job = data as Job;
    onUpdate(job);
    if (job.finishedAt !== null) {
      finished = true;
      stop?.();
    }
  });
  if (finished) stop();
  return () => stop?.();
}

/** Subscribes to a cluster's live metrics. */
export function watchMetrics(
  cluster: string,
  intervalMs: number,
  onSnapshot: (snapshot: MetricsSnapshot) => void,
): () => void {
  return engineStream.subscribe('metrics', { cluster, intervalMs }, (data) =>
    onSnapshot(data as MetricsSnapshot),
  );
}
