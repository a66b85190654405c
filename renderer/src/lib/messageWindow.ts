/**
 * The part of a topic the message table holds: a run of consecutive pages fetched with the
 * engine's cursors, grown at either end as the user scrolls and cut at the other end so memory
 * stays bounded however far the user scrolls. Pure: no I/O, no Vue.
 *
 * Cursors: a page read `forward` has `next` = later, `previous` = earlier; one read `backward`
 * has `next` = earlier, `previous` = later (and its messages newest first). The window stores
 * each page in display order (oldest first) with its cursors translated to `earlier` and
 * `later`, so growing either end does not depend on which way a page was read.
 */
import type { MessageOut, MessagePageOut } from '../api/types';

export type Direction = 'forward' | 'backward';

export interface WindowPage {
  messages: MessageOut[];
  /** Cursor for the messages just before this page; null at the start of the log. */
  earlier: string | null;
  /** Cursor for the messages just after this page; null at the end (for now). */
  later: string | null;
}

export interface MessageWindow {
  pages: WindowPage[];
}

/** Oldest first: by offset within a partition, by time (then partition, offset) across them. */
export function compareMessages(a: MessageOut, b: MessageOut): number {
  if (a.partition === b.partition) return a.offset - b.offset;
  return a.timestamp - b.timestamp || a.partition - b.partition || a.offset - b.offset;
}

export function toWindowPage(page: MessagePageOut, direction: Direction): WindowPage {
  const messages = [...page.messages].sort(compareMessages);
  return direction === 'forward'
    ? { messages, earlier: page.previous, later: page.next }
    : { messages, earlier: page.next, later: page.previous };
}

export function windowMessages(window: MessageWindow): MessageOut[] {
  return window.pages.flatMap((page) => page.messages);
}

export function messageKey(message: Pick<MessageOut, 'partition' | 'offset'>): string {
  return `${message.partition}:${message.offset}`;
}

/** Drops from `page` any message already in `window` (pages from overlapping cursors). */
function withoutDuplicates(window: MessageWindow, page: WindowPage): WindowPage {
  const seen = new Set(windowMessages(window).map(messageKey));
  return { ...page, messages: page.messages.filter((m) => !seen.has(messageKey(m))) };
}

function count(pages: WindowPage[]): number {
  return pages.reduce((sum, page) => sum + page.messages.length, 0);
}

/**
 * Adds a later page at the end and drops whole pages from the start while the window holds
 * more than `maxMessages`. Returns the new window and how many messages were dropped.
 */
export function appendLater(
  window: MessageWindow,
  page: WindowPage,
  maxMessages: number,
): { window: MessageWindow; dropped: number } {
  const pages = [...window.pages];
  const last = pages[pages.length - 1];
  const fresh = withoutDuplicates(window, page);
  if (last && fresh.messages.length === 0) {
    // Nothing new (the end of the log for now): keep the cursor to try again later.
    pages[pages.length - 1] = { ...last, later: page.later ?? last.later };
    return { window: { ...window, pages }, dropped: 0 };
  }
  pages.push(fresh);
  let dropped = 0;
  while (pages.length > 1 && count(pages) > maxMessages) dropped += pages.shift()!.messages.length;
  return { window: { ...window, pages }, dropped };
}

/** Adds an earlier page at the start; drops whole pages from the end beyond `maxMessages`. */
export function prependEarlier(
  window: MessageWindow,
  page: WindowPage,
  maxMessages: number,
): { window: MessageWindow; added: number; dropped: number } {
  const pages = [...window.pages];
  const first = pages[0];
  const fresh = withoutDuplicates(window, page);
  if (first && fresh.messages.length === 0) {
    pages[0] = { ...first, earlier: page.earlier };
    return { window: { ...window, pages }, added: 0, dropped: 0 };
  }
  pages.unshift(fresh);
  let dropped = 0;
  while (pages.length > 1 && count(pages) > maxMessages) dropped += pages.pop()!.messages.length;
  return { window: { ...window, pages }, added: fresh.messages.length, dropped };
}

export function earliestCursor(window: MessageWindow): string | null {
  return window.pages[0]?.earlier ?? null;
}

export function latestCursor(window: MessageWindow): string | null {
  return window.pages[window.pages.length - 1]?.later ?? null;
}
