import { describe, expect, it } from 'vitest';
import type { MessageOut } from '../api/types';
import {
  appendLater,
  earliestCursor,
  latestCursor,
  prependEarlier,
  toWindowPage,
  windowMessages,
  type MessageWindow,
} from './messageWindow';

function message(partition: number, offset: number, timestamp = offset): MessageOut {
  return {
    partition,
    offset,
    timestamp,
    timestampType: 'CreateTime',
    key: null,
    keyEncoding: 'utf8',
    value: `v${offset}`,
    valueEncoding: 'utf8',
    valueSize: 3,
    valueTruncated: false,
    headers: [],
    size: 3,
  };
}

function page(from: number, to: number, earlier: string | null, later: string | null) {
  const messages = [];
  for (let offset = from; offset < to; offset++) messages.push(message(0, offset));
  return { messages, earlier, later };
}

describe('the message window', () => {
  it('translates cursors of a backward page (from latest) into earlier and later', () => {
    const fromLatest = toWindowPage(
      { messages: [message(0, 9), message(0, 8)], next: 'older', previous: null, scanned: 2 },
      'backward',
    );
    expect(fromLatest.messages.map((m) => m.offset)).toEqual([8, 9]);
    expect(fromLatest).toMatchObject({ earlier: 'older', later: null });
  });

  it('orders merged partitions by time, then partition', () => {
    const merged = toWindowPage(
      {
        messages: [message(1, 5, 20), message(0, 7, 10), message(2, 1, 10)],
        next: null,
        previous: null,
        scanned: 3,
      },
      'forward',
    );
    expect(merged.messages.map((m) => `${m.partition}:${m.offset}`)).toEqual(['0:7', '2:1', '1:5']);
  });

  it('keeps memory bounded by dropping whole pages from the far end while scrolling on', () => {
    let window: MessageWindow = { pages: [page(0, 100, null, 'c100')] };
    let dropped = 0;
    for (let start = 100; start < 1000; start += 100) {
      const result = appendLater(
        window,
        page(start, start + 100, `b${start}`, `c${start + 100}`),
        300,
      );
      window = result.window;
      dropped += result.dropped;
    }
    const offsets = windowMessages(window).map((m) => m.offset);
    expect(offsets).toHaveLength(300);
    expect(offsets[0]).toBe(700);
    expect(offsets[299]).toBe(999);
    expect(dropped).toBe(700);
    // The cursor before the first kept page lets the user scroll back.
    expect(earliestCursor(window)).toBe('b700');
    expect(latestCursor(window)).toBe('c1000');

    const back = prependEarlier(window, page(600, 700, 'b600', 'c700'), 300);
    expect(back.added).toBe(100);
    expect(back.dropped).toBe(100);
    expect(
      windowMessages(back.window)
        .map((m) => m.offset)
        .slice(0, 1),
    ).toEqual([600]);
    expect(latestCursor(back.window)).toBe('c900');
  });

  it('ignores messages it already holds and keeps the newest cursor at the end of the log', () => {
    const window: MessageWindow = { pages: [page(0, 3, null, 'c3')] };
    const again = appendLater(window, page(2, 3, 'b2', 'c3b'), 100);
    expect(windowMessages(again.window)).toHaveLength(3);
    expect(latestCursor(again.window)).toBe('c3b');
  });
});
