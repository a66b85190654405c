/**
 * The message browser: where the user seeks to, the window of messages around it (fetched page
 * by page with the engine's cursors, bounded in memory), and the live tail with its pause.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { api } from '../api/client';
import { errorMessage } from '../api/http';
import { engineStream } from '../api/stream';
import type { MessageOut, MessagesQueryIn, TailEventOut } from '../api/types';
import {
  appendLater,
  earliestCursor,
  latestCursor,
  prependEarlier,
  toWindowPage,
  windowMessages,
  type Direction,
  type MessageWindow,
} from '../lib/messageWindow';

/** Where to start reading. */
export type Seek =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'offset'; offset: number }
  | { kind: 'timestamp'; timestamp: number };

export interface BrowseTarget {
  cluster: string;
  topic: string;
  /** One partition, or null for all partitions merged by time. */
  partition: number | null;
  seek: Seek;
  filter: string;
}

export const PAGE_SIZE = 100;
/** The most messages the table holds at once; pages beyond it are dropped and refetched. */
export const WINDOW_MESSAGES = 2000;
/** The most messages a live tail keeps (and buffers while paused). */
export const TAIL_BUFFER = 1000;

export const useMessagesStore = defineStore('messages', () => {
  const target = ref<BrowseTarget | null>(null);
  // shallowRef: messages are plain data; deep reactivity over thousands of them buys nothing.
  const window = shallowRef<MessageWindow>({ pages: [] });
  const loading = ref(false);
  const loadingEarlier = ref(false);
  const loadingLater = ref(false);
  const error = ref<string | null>(null);
  const scanned = ref(0);
  /** The last page read forward stopped at the engine's scan budget: more may match further on. */
  const incomplete = ref(false);
  /** Bumped when messages are added or dropped at the start, with how many rows moved. */
  const startShift = ref({ serial: 0, rows: 0 });
  let generation = 0;

  const messages = computed(() => windowMessages(window.value));
  const hasEarlier = computed(() => earliestCursor(window.value) !== null);
  const hasLater = computed(() => latestCursor(window.value) !== null);

  function baseQuery(t: BrowseTarget): MessagesQueryIn {
    return {
      partition: t.partition ?? undefined,
      filter: t.filter || undefined,
      limit: PAGE_SIZE,
    };
  }

  async function open(next: BrowseTarget): Promise<void> {
    stopTail();
    target.value = next;
    const mine = ++generation;
    loading.value = true;
    error.value = null;
    window.value = { pages: [] };
    // Forward from every seek: from `latest` the engine returns the newest page oldest first.
    const direction: Direction = 'forward';
    const query: MessagesQueryIn = { ...baseQuery(next), direction };
    if (next.seek.kind === 'earliest') query.position = 'earliest';
    else if (next.seek.kind === 'latest') query.position = 'latest';
    else if (next.seek.kind === 'offset') query.offset = next.seek.offset;
    else query.timestamp = next.seek.timestamp;
    try {
      const page = await api.listMessages(next.cluster, next.topic, query);
      if (mine !== generation) return;
      scanned.value = page.scanned;
      incomplete.value = page.incomplete === true && page.next !== null;
      window.value = { pages: [toWindowPage(page, direction)] };
    } catch (e) {
      if (mine === generation) error.value = errorMessage(e);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  /**
   * A cursor carries its direction: a page's `previous` reads the other way. So an `earlier`
   * cursor reads backward and a `later` one forward, whatever the page it came from.
   */
  async function fetchAt(
    cursor: string,
    direction: Direction,
  ): Promise<ReturnType<typeof toWindowPage> | null> {
    const t = target.value;
    if (!t) return null;
    const page = await api.listMessages(t.cluster, t.topic, {
      ...baseQuery(t),
      direction,
      cursor,
    });
    scanned.value += page.scanned;
    if (direction === 'forward') incomplete.value = page.incomplete === true && page.next !== null;
    return toWindowPage(page, direction);
  }

  async function loadLater(): Promise<void> {
    const cursor = latestCursor(window.value);
    if (!cursor || loadingLater.value || loading.value) return;
    const mine = generation;
    loadingLater.value = true;
    try {
      const page = await fetchAt(cursor, 'forward');
      if (!page || mine !== generation) return;
      const result = appendLater(window.value, page, WINDOW_MESSAGES);
      window.value = result.window;
      if (result.dropped)
        startShift.value = { serial: startShift.value.serial + 1, rows: -result.dropped };
    } catch (e) {
      if (mine === generation) error.value = errorMessage(e);
    } finally {
      loadingLater.value = false;
    }
  }

  async function loadEarlier(): Promise<void> {
    const cursor = earliestCursor(window.value);
    if (!cursor || loadingEarlier.value || loading.value) return;
    const mine = generation;
    loadingEarlier.value = true;
    try {
      const page = await fetchAt(cursor, 'backward');
      if (!page || mine !== generation) return;
      const result = prependEarlier(window.value, page, WINDOW_MESSAGES);
      window.value = result.window;
      if (result.added)
        startShift.value = { serial: startShift.value.serial + 1, rows: result.added };
    } catch (e) {
      if (mine === generation) error.value = errorMessage(e);
    } finally {
      loadingEarlier.value = false;
    }
  }

  // Live tail: its own bounded list; while paused, arrivals wait in a bounded buffer.
  const tailing = ref(false);
  const paused = ref(false);
  const tailMessages = shallowRef<MessageOut[]>([]);
  const pending = shallowRef<MessageOut[]>([]);
  const dropped = ref(0);
  let unsubscribe: (() => void) | null = null;

  function keepLast(list: MessageOut[], max: number): MessageOut[] {
    return list.length > max ? list.slice(list.length - max) : list;
  }

  function onTail(data: unknown): void {
    const event = data as TailEventOut;
    dropped.value += event.dropped;
    if (paused.value) {
      const all = [...pending.value, ...event.messages];
      dropped.value += Math.max(0, all.length - TAIL_BUFFER);
      pending.value = keepLast(all, TAIL_BUFFER);
    } else {
      tailMessages.value = keepLast([...tailMessages.value, ...event.messages], TAIL_BUFFER);
    }
  }

  function startTail(): void {
    const t = target.value;
    if (!t || unsubscribe) return;
    tailing.value = true;
    paused.value = false;
    tailMessages.value = [];
    pending.value = [];
    dropped.value = 0;
    const params: Record<string, unknown> = { cluster: t.cluster, topic: t.topic };
    if (t.partition !== null) params.partition = t.partition;
    if (t.filter) params.filter = t.filter;
    unsubscribe = engineStream.subscribe('tail', params, onTail);
  }

  function stopTail(): void {
    unsubscribe?.();
    unsubscribe = null;
    tailing.value = false;
    paused.value = false;
  }

  function togglePause(): void {
    if (paused.value) {
      tailMessages.value = keepLast([...tailMessages.value, ...pending.value], TAIL_BUFFER);
      pending.value = [];
    }
    paused.value = !paused.value;
  }

  return {
    target,
    window,
    messages,
    loading,
    loadingEarlier,
    loadingLater,
    error,
    scanned,
    incomplete,
    startShift,
    hasEarlier,
    hasLater,
    open,
    loadLater,
    loadEarlier,
    tailing,
    paused,
    tailMessages,
    pending,
    dropped,
    startTail,
    stopTail,
    togglePause,
  };
});
