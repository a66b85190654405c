/** Calls for replay and export jobs, and the job controls (pause, resume, cancel). */
import type { z } from 'zod';
import type { ExportInput, Job, ReplayInput } from '../../../engine/api';
import { request } from './http';

export type { ExportResult, ReplayResult } from '../../../engine/api';
export type ReplayIn = z.input<typeof ReplayInput>;
export type ExportIn = z.input<typeof ExportInput>;

const topicPath = (cluster: string, topic: string) =>
  `/clusters/${encodeURIComponent(cluster)}/topics/${encodeURIComponent(topic)}`;
const jobPath = (job: string) => `/jobs/${encodeURIComponent(job)}`;

export const transferApi = {
  startReplay: (body: ReplayIn) => request<Job>('POST', '/replays', body),
  startExport: (cluster: string, topic: string, body: ExportIn) =>
    request<Job>('POST', `${topicPath(cluster, topic)}/exports`, body),
  pause: (job: string) => request<Job>('POST', `${jobPath(job)}/pause`),
  resume: (job: string) => request<Job>('POST', `${jobPath(job)}/resume`),
  cancel: (job: string) => request<Job>('POST', `${jobPath(job)}/cancel`),
};
