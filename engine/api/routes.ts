/**
 * Every route of the engine API. Later capabilities add their routes here (one entry each),
 * and the server refuses to start if a route has no handler.
 */
import { z } from 'zod';
import { defineRoute } from './route';
import { Status } from './status';
import { Cluster, ClusterInput, ClusterList, ClusterParams, ClusterPatch } from './clusters';
import { CountJobInput, Job, JobList, JobParams } from './jobs';

const Empty = z.object({});

export const routes = {
  getStatus: defineRoute({
    method: 'GET',
    path: '/status',
    tag: 'status',
    summary: 'Health of the engine and the local broker',
    response: Status,
  }),
  listClusters: defineRoute({
    method: 'GET',
    path: '/clusters',
    tag: 'clusters',
    summary: 'All clusters: the local broker first, then saved external and offline ones',
    response: ClusterList,
  }),
  createCluster: defineRoute({
    method: 'POST',
    path: '/clusters',
    tag: 'clusters',
    summary: 'Save a new external or offline cluster',
    body: ClusterInput,
    response: Cluster,
    status: 201,
  }),
  getCluster: defineRoute({
    method: 'GET',
    path: '/clusters/{cluster}',
    tag: 'clusters',
    summary: 'One saved cluster',
    params: ClusterParams,
    response: Cluster,
  }),
  updateCluster: defineRoute({
    method: 'PATCH',
    path: '/clusters/{cluster}',
    tag: 'clusters',
    summary: 'Change a saved cluster',
    params: ClusterParams,
    body: ClusterPatch,
    response: Cluster,
  }),
  deleteCluster: defineRoute({
    method: 'DELETE',
    path: '/clusters/{cluster}',
    tag: 'clusters',
    summary: 'Forget a saved cluster and its secrets',
    params: ClusterParams,
    response: Empty,
    status: 204,
  }),
  listJobs: defineRoute({
    method: 'GET',
    path: '/jobs',
    tag: 'jobs',
    summary: 'Jobs of this engine run, newest first',
    response: JobList,
  }),
  getJob: defineRoute({
    method: 'GET',
    path: '/jobs/{job}',
    tag: 'jobs',
    summary: 'A job: state, progress and, when done, its result',
    params: JobParams,
    response: Job,
  }),
  cancelJob: defineRoute({
    method: 'POST',
    path: '/jobs/{job}/cancel',
    tag: 'jobs',
    summary: 'Cancel a running or paused job',
    params: JobParams,
    response: Job,
  }),
  pauseJob: defineRoute({
    method: 'POST',
    path: '/jobs/{job}/pause',
    tag: 'jobs',
    summary: 'Pause a pausable job',
    params: JobParams,
    response: Job,
  }),
  resumeJob: defineRoute({
    method: 'POST',
    path: '/jobs/{job}/resume',
    tag: 'jobs',
    summary: 'Resume a paused job',
    params: JobParams,
    response: Job,
  }),
  startCountJob: defineRoute({
    method: 'POST',
    path: '/jobs/count',
    tag: 'jobs',
    summary: 'Start a job that only counts: a self-test of the job mechanism',
    body: CountJobInput,
    response: Job,
    status: 202,
  }),
} as const;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
