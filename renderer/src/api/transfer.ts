/** Calls for replay, export and import jobs, downloads and uploads, and the job controls. */
import type { z } from 'zod';
import type {
  DownloadTicket,
  ExportInput,
  ImportInput,
  Job,
  ReplayInput,
  UploadResult,
} from '../../../engine/api';
import { request, uploadFile } from './http';

export type { ExportResult, ImportResult, ReplayResult } from '../../../engine/api';
export type ReplayIn = z.input<typeof ReplayInput>;
export type ExportIn = z.input<typeof ExportInput>;
export type ImportIn = z.input<typeof ImportInput>;

const topicPath = (cluster: string, topic: string) =>
  `/clusters/${encodeURIComponent(cluster)}/topics/${encodeURIComponent(topic)}`;
const jobPath = (job: string) => `/jobs/${encodeURIComponent(job)}`;

export const transferApi = {
  startReplay: (body: ReplayIn) => request<Job>('POST', '/replays', body),
  startExport: (cluster: string, topic: string, body: ExportIn) =>
    request<Job>('POST', `${topicPath(cluster, topic)}/exports`, body),
  startImport: (cluster: string, topic: string, body: ImportIn) =>
    request<Job>('POST', `${topicPath(cluster, topic)}/imports`, body),
  /** A one-time link to a finished export's file. */
  downloadExport: (job: string) => request<DownloadTicket>('POST', `${jobPath(job)}/download`),
  /** Puts a file on the engine (streamed) for an import to read. */
  upload: (file: File, onProgress?: (sent: number, total: number) => void) =>
    uploadFile<UploadResult>(`/uploads?name=${encodeURIComponent(file.name)}`, file, onProgress),
  pause: (job: string) => request<Job>('POST', `${jobPath(job)}/pause`),
  resume: (job: string) => request<Job>('POST', `${jobPath(job)}/resume`),
  cancel: (job: string) => request<Job>('POST', `${jobPath(job)}/cancel`),
};
