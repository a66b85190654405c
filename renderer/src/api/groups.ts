/** Calls for consumer groups: list, describe, reset offsets (with a dry run), delete. */
import type { z } from 'zod';
import type {
  GroupDetails,
  GroupList,
  OffsetResetInput,
  OffsetResetResult,
} from '../../../engine/api';
import { request } from './http';

export type GroupListOut = z.infer<typeof GroupList>;
export type GroupDetailsOut = z.infer<typeof GroupDetails>;
export type OffsetResetIn = z.input<typeof OffsetResetInput>;
export type OffsetResetOut = z.infer<typeof OffsetResetResult>;

const groupsPath = (cluster: string) => `/clusters/${encodeURIComponent(cluster)}/groups`;
const groupPath = (cluster: string, group: string) =>
  `${groupsPath(cluster)}/${encodeURIComponent(group)}`;

export const groupsApi = {
  list: (cluster: string) => request<GroupListOut>('GET', groupsPath(cluster)),
  get: (cluster: string, group: string) =>
    request<GroupDetailsOut>('GET', groupPath(cluster, group)),
  resetOffsets: (cluster: string, group: string, body: OffsetResetIn) =>
    request<OffsetResetOut>('POST', `${groupPath(cluster, group)}/offsets`, body),
  remove: (cluster: string, group: string) => request<void>('DELETE', groupPath(cluster, group)),
};
