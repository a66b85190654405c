/**
 * Every route of the engine API. Later capabilities add their routes here (one entry each),
 * and the server refuses to start if a route has no handler.
 */
import { z } from 'zod';
import { defineRoute } from './route';
import { Status } from './status';
import { Cluster, ClusterInput, ClusterList, ClusterParams, ClusterPatch } from './clusters';
import { CountJobInput, Job, JobList, JobParams } from './jobs';
import {
  GroupDetails,
  GroupList,
  GroupParams,
  OffsetResetInput,
  OffsetResetResult,
} from './groups';
import { DownloadTicket, ExportInput, ImportInput } from './transfer';
import { ReplayInput } from './replay';
import { FieldSuggestions, SampleInput, SamplePreview, ScanInput } from './eda';
import {
  Message,
  MessagePage,
  MessageParams,
  MessageQuery,
  MessagesQuery,
  ProduceInput,
  ProduceResult,
  SearchInput,
} from './messages';
import {
  ClusterDetails,
  ConnectionTest,
  CreateTopicInput,
  PartitionParams,
  SegmentList,
  TopicConfigPatch,
  TopicConfigs,
  TopicDetails,
  TopicList,
  TopicParams,
  TopicSummary,
} from './topics';

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
    summary:
      'One cluster: its settings and, when reachable, a live overview (brokers, topic and partition counts, under-replicated and offline partitions); `overviewError` says why not',
    params: ClusterParams,
    response: ClusterDetails,
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
  testCluster: defineRoute({
    method: 'POST',
    path: '/clusters/{cluster}/test',
    tag: 'clusters',
    summary:
      'Connect to a cluster and ask for its metadata; says precisely what failed (unreachable, TLS, authentication, timeout)',
    params: ClusterParams,
    response: ConnectionTest,
  }),
  testClusterSettings: defineRoute({
    method: 'POST',
    path: '/clusters/test',
    tag: 'clusters',
    summary: 'Test connection settings before saving them (nothing is stored)',
    body: ClusterInput,
    response: ConnectionTest,
  }),
  listTopics: defineRoute({
    method: 'GET',
    path: '/clusters/{cluster}/topics',
    tag: 'topics',
    summary: 'Topics with partition count, replication factor, messages and bytes where known',
    params: ClusterParams,
    response: TopicList,
  }),
  createTopic: defineRoute({
    method: 'POST',
    path: '/clusters/{cluster}/topics',
    tag: 'topics',
    summary: 'Create a topic',
    params: ClusterParams,
    body: CreateTopicInput,
    response: TopicSummary,
    status: 201,
  }),
  getTopic: defineRoute({
    method: 'GET',
    path: '/clusters/{cluster}/topics/{topic}',
    tag: 'topics',
    summary:
      'A topic’s partitions: leader, replicas, in-sync replicas, log start offset, high watermark, messages, bytes, segments',
    params: TopicParams,
    response: TopicDetails,
  }),
  deleteTopic: defineRoute({
    method: 'DELETE',
    path: '/clusters/{cluster}/topics/{topic}',
    tag: 'topics',
    summary: 'Delete a topic and its messages',
    params: TopicParams,
    response: Empty,
    status: 204,
  }),
  getTopicConfigs: defineRoute({
    method: 'GET',
    path: '/clusters/{cluster}/topics/{topic}/configs',
    tag: 'topics',
    summary: 'A topic’s configs with their sources (topic override or default)',
    params: TopicParams,
    response: TopicConfigs,
  }),
  updateTopicConfigs: defineRoute({
    method: 'PATCH',
    path: '/clusters/{cluster}/topics/{topic}/configs',
    tag: 'topics',
    summary: 'Set configs (a string) or reset them to the default (null); others stay as they are',
    params: TopicParams,
    body: TopicConfigPatch,
    response: TopicConfigs,
  }),
  listSegments: defineRoute({
    method: 'GET',
    path: '/clusters/{cluster}/topics/{topic}/partitions/{partition}/segments',
    tag: 'topics',
    summary:
      'A partition’s segments (local broker); for external Kafka, `supported: false` with the reason',
    params: PartitionParams,
    response: SegmentList,
  }),
  listMessages: defineRoute({
    method: 'GET',
    path: '/clusters/{cluster}/topics/{topic}/messages',
    tag: 'messages',
    summary:
      'A page of messages from an offset, a time, the earliest or latest, or a cursor; one partition or all merged by timestamp; optionally filtered',
    params: TopicParams,
    query: MessagesQuery,
    response: MessagePage,
  }),
  getMessage: defineRoute({
    method: 'GET',
    path: '/clusters/{cluster}/topics/{topic}/partitions/{partition}/messages/{offset}',
    tag: 'messages',
    summary: 'One message with its value whole',
    params: MessageParams,
    query: MessageQuery,
    response: Message,
  }),
  produceMessage: defineRoute({
    method: 'POST',
    path: '/clusters/{cluster}/topics/{topic}/messages',
    tag: 'messages',
    summary: 'Produce one message (acks=all)',
    params: TopicParams,
    body: ProduceInput,
    response: ProduceResult,
    status: 201,
  }),
  startSearch: defineRoute({
    method: 'POST',
    path: '/clusters/{cluster}/topics/{topic}/search',
    tag: 'messages',
    summary:
      'Search a range of a topic with a filter, as a job with progress and cancel; the result holds the matches and how many messages were scanned',
    params: TopicParams,
    body: SearchInput,
    response: Job,
    status: 202,
  }),
  startSample: defineRoute({
    method: 'POST',
    path: '/clusters/{cluster}/topics/{topic}/samples',
    tag: 'eda',
    summary:
      'Sample a topic (random, with replacement, systematic or stratified; seeded) as a job; its result holds per-field statistics, intervals, histograms, box plots, the sampled offsets and warnings',
    params: TopicParams,
    body: SampleInput,
    response: Job,
    status: 202,
  }),
  previewSample: defineRoute({
    method: 'POST',
    path: '/clusters/{cluster}/topics/{topic}/samples/preview',
    tag: 'eda',
    summary:
      'What a sample would read (population, strata, batches) and why it may mislead, from its plan and a small pilot, before it runs',
    params: TopicParams,
    body: SampleInput,
    response: SamplePreview,
  }),
  startScan: defineRoute({
    method: 'POST',
    path: '/clusters/{cluster}/topics/{topic}/scans',
    tag: 'eda',
    summary:
      'Read a whole range once and compute each field’s exact statistics (quantiles within a stated sketch error), as a job',
    params: TopicParams,
    body: ScanInput,
    response: Job,
    status: 202,
  }),
  suggestFields: defineRoute({
    method: 'GET',
    path: '/clusters/{cluster}/topics/{topic}/fields',
    tag: 'eda',
    summary:
      'Fields to analyse: JSON paths and headers seen in a small random sample, and the built-ins',
    params: TopicParams,
    response: FieldSuggestions,
  }),
  listGroups: defineRoute({
    method: 'GET',
    path: '/clusters/{cluster}/groups',
    tag: 'groups',
    summary: 'Consumer groups with state, protocol, member count and total lag',
    params: ClusterParams,
    response: GroupList,
  }),
  getGroup: defineRoute({
    method: 'GET',
    path: '/clusters/{cluster}/groups/{group}',
    tag: 'groups',
    summary: 'A consumer group: members and assignments, committed offsets and lag per partition',
    params: GroupParams,
    response: GroupDetails,
  }),
  resetGroupOffsets: defineRoute({
    method: 'POST',
    path: '/clusters/{cluster}/groups/{group}/offsets',
    tag: 'groups',
    summary:
      'Reset a group’s offsets on a topic (earliest, latest, a time, an exact offset, shift by N) for all or some partitions, only while the group is empty; `dryRun` previews old → new',
    params: GroupParams,
    body: OffsetResetInput,
    response: OffsetResetResult,
  }),
  deleteGroup: defineRoute({
    method: 'DELETE',
    path: '/clusters/{cluster}/groups/{group}',
    tag: 'groups',
    summary: 'Delete a consumer group without members, and its committed offsets',
    params: GroupParams,
    response: Empty,
    status: 204,
  }),
  startExport: defineRoute({
    method: 'POST',
    path: '/clusters/{cluster}/topics/{topic}/exports',
    tag: 'transfer',
    summary:
      'Export a range of a topic (optionally filtered) to a JSON Lines or CSV file, streamed, as a job; binary fields as base64 with their encoding named',
    params: TopicParams,
    body: ExportInput,
    response: Job,
    status: 202,
  }),
  startImport: defineRoute({
    method: 'POST',
    path: '/clusters/{cluster}/topics/{topic}/imports',
    tag: 'transfer',
    summary:
      'Import a JSON Lines file into a topic, as a job: without `confirm` it only validates (every bad line with its problem, and the file’s fingerprint); with `confirm.fingerprint` it imports',
    params: TopicParams,
    body: ImportInput,
    response: Job,
    status: 202,
  }),
  downloadExport: defineRoute({
    method: 'POST',
    path: '/jobs/{job}/download',
    tag: 'transfer',
    summary:
      'A one-time link (one minute, one download, no bearer token needed) to the file of a finished export job, streamed with its name',
    params: JobParams,
    response: DownloadTicket,
  }),
  startReplay: defineRoute({
    method: 'POST',
    path: '/replays',
    tag: 'replay',
    summary:
      'Replay a range of a topic (optionally filtered) to a topic of the same or another cluster, at a pace (as fast as possible, messages/s, or original timing × factor), as a pausable job; idempotent producer, order within a partition kept; `dryRun` only counts',
    body: ReplayInput,
    response: Job,
    status: 202,
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
