/**
 * Typed calls to the engine API. The types come from the engine's contract (engine/api), so a
 * changed schema breaks the renderer's type-check instead of the running app.
 */
import type { RouteBody, RouteOutput, Routes } from '../../../engine/api';
import { request } from './http';
import type {
  ClusterDetailsOut,
  ConnectionTestOut,
  CreateTopicIn,
  MessageOut,
  MessagePageOut,
  MessagesQueryIn,
  ProduceIn,
  ProduceResultOut,
  SegmentListOut,
  TopicConfigPatchIn,
  TopicConfigsOut,
  TopicDetailsOut,
  TopicListOut,
} from './types';

type Out<K extends keyof Routes> = RouteOutput<Routes[K]>;
type In<K extends keyof Routes> = RouteBody<Routes[K]>;
const segment = encodeURIComponent;

const clusterPath = (cluster: string) => `/clusters/${segment(cluster)}`;
const topicPath = (cluster: string, topic: string) =>
  `${clusterPath(cluster)}/topics/${segment(topic)}`;

/** `?a=1&b=x` from the defined entries of `query`. */
function queryString(query: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const api = {
  getStatus: () => request<Out<'getStatus'>>('GET', '/status'),
  listClusters: () => request<Out<'listClusters'>>('GET', '/clusters'),
  getCluster: (cluster: string) => request<ClusterDetailsOut>('GET', clusterPath(cluster)),
  createCluster: (body: In<'createCluster'>) =>
    request<Out<'createCluster'>>('POST', '/clusters', body),
  updateCluster: (cluster: string, body: In<'updateCluster'>) =>
    request<Out<'updateCluster'>>('PATCH', clusterPath(cluster), body),
  deleteCluster: (cluster: string) => request<void>('DELETE', clusterPath(cluster)),
  testCluster: (cluster: string) =>
    request<ConnectionTestOut>('POST', `${clusterPath(cluster)}/test`),

  listTopics: (cluster: string) => request<TopicListOut>('GET', `${clusterPath(cluster)}/topics`),
  createTopic: (cluster: string, body: CreateTopicIn) =>
    request<unknown>('POST', `${clusterPath(cluster)}/topics`, body),
  deleteTopic: (cluster: string, topic: string) =>
    request<void>('DELETE', topicPath(cluster, topic)),
  getTopic: (cluster: string, topic: string) =>
    request<TopicDetailsOut>('GET', topicPath(cluster, topic)),
  getTopicConfigs: (cluster: string, topic: string) =>
    request<TopicConfigsOut>('GET', `${topicPath(cluster, topic)}/configs`),
  updateTopicConfigs: (cluster: string, topic: string, body: TopicConfigPatchIn) =>
    request<TopicConfigsOut>('PATCH', `${topicPath(cluster, topic)}/configs`, body),
  listSegments: (cluster: string, topic: string, partition: number) =>
    request<SegmentListOut>('GET', `${topicPath(cluster, topic)}/partitions/${partition}/segments`),

  listMessages: (cluster: string, topic: string, query: MessagesQueryIn) =>
    request<MessagePageOut>(
      'GET',
      `${topicPath(cluster, topic)}/messages${queryString(query as Record<string, string | number | undefined>)}`,
    ),
  /** One message whole (its value not cut to a preview). */
  getMessage: (cluster: string, topic: string, partition: number, offset: number) =>
    request<MessageOut>(
      'GET',
      `${topicPath(cluster, topic)}/partitions/${partition}/messages/${offset}`,
    ),
  produce: (cluster: string, topic: string, body: ProduceIn) =>
    request<ProduceResultOut>('POST', `${topicPath(cluster, topic)}/messages`, body),

  listJobs: () => request<Out<'listJobs'>>('GET', '/jobs'),
  getJob: (job: string) => request<Out<'getJob'>>('GET', `/jobs/${segment(job)}`),
  cancelJob: (job: string) => request<Out<'cancelJob'>>('POST', `/jobs/${segment(job)}/cancel`),
};

/** A person-readable line for any failure of an API call. */
export { errorMessage } from './http';
