import { describe, expect, it } from 'vitest';
import { TailParams, type ApiErrorDetail, type TailEvent } from '../api';
import { compileFilter } from './filter';
import { MemoryLog } from './memoryLog';
import { startTail } from './tail';

function collect() {
  const events: TailEvent[] = [];
  const errors: ApiErrorDetail[] = [];
  let notify = () => {};
  const sink = {
    emit: (event: TailEvent) => {
      events.push(event);
      notify();
      return true;
    },
    fail: (error: ApiErrorDetail) => {
      errors.push(error);
      notify();
    },
  };
  const until = (predicate: () => boolean) =>
    new Promise<void>((resolve) => {
      if (predicate()) return resolve();
      notify = () => {
        if (predicate()) resolve();
      };
    });
  const sent = () => events.reduce((n, e) => n + e.messages.length, 0);
  const dropped = () => events.reduce((n, e) => n + e.dropped, 0);
  return { events, errors, sink, until, sent, dropped };
}

/** Resolves once the tail has read its start offsets and sent its first (long-poll) fetch. */
async function tailStarted(log: MemoryLog): Promise<void> {
  while (log.fetchCount === 0) await new Promise((resolve) => setImmediate(resolve));
}

describe('tail', () => {
  it('sends only messages that arrive after it starts, from every partition', async () => {
    const log = new MemoryLog(2);
    log.append(0, [{ timestamp: 1, value: 'old' }]);
    const { events, sink, until, sent } = collect();
    const stop = startTail(log, TailParams.parse({ cluster: 'c', topic: 't' }), null, sink);
    await tailStarted(log);
    log.append(1, [{ timestamp: 20, value: 'b' }]);
    log.append(0, [{ timestamp: 10, value: 'a' }]);
    await until(() => sent() === 2);
    stop();
    const values = events.flatMap((e) => e.messages.map((m) => m.value));
    expect(values).not.toContain('old');
    expect(values.sort()).toEqual(['a', 'b']);
  });

  it('stays within maxPerSecond and counts the rest as dropped', async () => {
    const log = new MemoryLog(3, 50);
    const { sink, until, sent, dropped } = collect();
    const stop = startTail(
      log,
      TailParams.parse({ cluster: 'c', topic: 't', maxPerSecond: 20 }),
      null,
      sink,
    );
    await tailStarted(log);
    for (let p = 0; p < 3; p++) {
      log.append(
        p,
        Array.from({ length: 1000 }, (_, i) => ({ timestamp: i, value: `v${i}` })),
      );
    }
    log.fetchCount = 0;
    await until(() => sent() + dropped() === 3000);
    stop();
    // Once the budget is spent the tail skips to the end instead of reading what it would drop:
    // far fewer fetches than the 60 batches appended (memory and CPU stay flat).
    expect(log.fetchCount).toBeLessThan(15);
    expect(sent()).toBeGreaterThan(0);
    expect(sent()).toBeLessThanOrEqual(40); // at most two one-second windows went by
    expect(dropped()).toBe(3000 - sent());
  });

  it('applies the filter before the rate limit', async () => {
    const log = new MemoryLog(1);
    const { events, sink, until, sent } = collect();
    const stop = startTail(
      log,
      TailParams.parse({ cluster: 'c', topic: 't', maxPerSecond: 1000 }),
      compileFilter('value.n >= 8'),
      sink,
    );
    await tailStarted(log);
    log.append(
      0,
      Array.from({ length: 10 }, (_, i) => ({ timestamp: i, value: `{"n":${i}}` })),
    );
    await until(() => sent() === 2);
    stop();
    expect(events.flatMap((e) => e.messages.map((m) => m.offset))).toEqual([8, 9]);
    expect(events.reduce((n, e) => n + e.dropped, 0)).toBe(0);
  });

  it('fails the subscription with a named error for an unknown partition', async () => {
    const { errors, sink, until } = collect();
    startTail(
      new MemoryLog(1),
      TailParams.parse({ cluster: 'c', topic: 't', partition: 5 }),
      null,
      sink,
    );
    await until(() => errors.length === 1);
    expect(errors[0]).toMatchObject({ code: 'NOT_FOUND' });
  });
});
