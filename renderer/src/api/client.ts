/**
 * Typed calls to the engine API. The types come from the engine's contract (engine/api), so a
 * changed schema breaks the renderer's type-check instead of the running app.
 */
import type { RouteBody, RouteOutput, Routes } from '../../../engine/api';
import { request } from './http';

type Out<K extends keyof Routes> = RouteOutput<Routes[K]>;
type In<K extends keyof Routes> = RouteBody<Routes[K]>;
const segment = encodeURIComponent;

export const api = {
  getStatus: () => request<Out<'getStatus'>>('GET', '/status'),
  listClusters: () => request<Out<'listClusters'>>('GET', '/clusters'),
  getCluster: (cluster: string) =>
    request<Out<'getCluster'>>('GET', `/clusters/${segment(cluster)}`),
  createCluster: (body: In<'createCluster'>) =>
    request<Out<'createCluster'>>('POST', '/clusters', body),
  updateCluster: (cluster: string, body: In<'updateCluster'>) =>
    request<Out<'updateCluster'>>('PATCH', `/clusters/${segment(cluster)}`, body),
  deleteCluster: (cluster: string) => request<void>('DELETE', `/clusters/${segment(cluster)}`),
  listJobs: () => request<Out<'listJobs'>>('GET', '/jobs'),
  getJob: (job: string) => request<Out<'getJob'>>('GET', `/jobs/${segment(job)}`),
  cancelJob: (job: string) => request<Out<'cancelJob'>>('POST', `/jobs/${segment(job)}/cancel`),
};
