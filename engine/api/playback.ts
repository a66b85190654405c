/**
 * Playback (issue 8, item 2): a time window of a topic played through the views at a chosen
 * speed, over the WebSocket subscription `playback` with PlaybackParams; each event is one
 * PlaybackEvent. Partitions are merged in timestamp order (ties by partition, then offset) and
 * each record is sent when the playback clock reaches its timestamp — never before.
 *
 * The window's offsets are Kafka's lookup by time, as `kcat -o s@FROM -o e@TO` reads: per
 * partition, from the first offset stamped at or after `from` up to the first stamped at or
 * after `to`; records between them stamped outside the window are skipped. A partition whose
 * timestamps go back (CreateTime from several producers) is played in offset order, and its
 * records after one stamped past `to` are not played.
 *
 * Jumping (the scrubber) is a new subscription with `position`; pausing is unsubscribing, and
 * resuming is a new subscription with the last event's `time` as `position` and its `next` as
 * `cursor`, so it continues at exactly the next record.
 */
import { z } from 'zod';
import { DecodeAs, Message } from './messages';

/** Times are milliseconds since the epoch. */
const Time = z.number().int().min(0);

export const PlaybackSpeed = z.union([
  /** As fast as the subscriber takes them (the socket's backpressure sets the pace). */
  z.literal('max'),
  /** Playback time per wall time: 10 plays ten seconds of the window in one second; 0 = max. */
  z.number().min(0).max(1_000_000),
]);
export type PlaybackSpeed = z.infer<typeof PlaybackSpeed>;

export const PlaybackParams = z
  .object({
    cluster: z.string().min(1),
    topic: z.string().min(1),
    /** The window: records with `from ≤ timestamp < to`. */
    from: Time,
    to: Time,
    speed: PlaybackSpeed.default(1),
    /** Where in the window to start (the scrubber); default `from`. */
    position: Time.optional(),
    /** Resume exactly after the last record played: a previous event's `next`. */
    cursor: z.string().min(1).max(100_000).optional(),
    /** A browse filter expression: only matching records are played. */
    filter: z.string().max(2000).optional(),
    /** A field (as in EDA: `$.temperature`, `size`, `header:NAME`) whose numbers come along. */
    field: z.string().min(1).max(500).optional(),
    keyAs: DecodeAs.default('auto'),
    valueAs: DecodeAs.default('auto'),
    previewBytes: z
      .number()
      .int()
      .min(0)
      .max(1024 * 1024)
      .default(4 * 1024),
  })
  .superRefine((params, context) => {
    if (params.to <= params.from) {
      context.addIssue({
        code: 'custom',
        path: ['to'],
        message: `the window ends before it starts: "to" (${new Date(params.to).toISOString()}) must be after "from" (${new Date(params.from).toISOString()})`,
      });
    }
    if (
      params.position !== undefined &&
      (params.position < params.from || params.position >= params.to)
    ) {
      context.addIssue({
        code: 'custom',
        path: ['position'],
        message: 'must lie in the window (from ≤ position < to)',
      });
    }
  });
export type PlaybackParams = z.infer<typeof PlaybackParams>;

export const PlaybackEvent = z.discriminatedUnion('kind', [
  /** First event: what will be played. */
  z.object({
    kind: z.literal('start'),
    from: Time,
    to: Time,
    /** The playback time the clock starts at. */
    position: Time,
    /** Offsets in the window across partitions (records outside it by timestamp are skipped). */
    offsets: z.number().int(),
    partitions: z.number().int(),
  }),
  /**
   * The clock moved: the records that fell due since the previous tick, in merged order (often
   * none). Sent at least every 200 ms while playing.
   */
  z.object({
    kind: z.literal('tick'),
    /** The playback time: every record at or before it has been sent. */
    time: Time,
    /** Wall milliseconds played since the start (time spent waiting for the socket left out). */
    elapsedMs: z.number(),
    messages: z.array(Message),
    /** With `field`: the field's number for each message, null when absent or not a number. */
    values: z.array(z.number().nullable()).optional(),
    /** Records played so far in this subscription. */
    played: z.number().int(),
    /** Records read but left out by the filter (or out of the window by timestamp). */
    skipped: z.number().int(),
    /** Resume here (as `cursor`, with `time` as `position`); null at the end of the window. */
    next: z.string().nullable(),
  }),
  /** The window is played to its end; the subscription ends after this. */
  z.object({
    kind: z.literal('done'),
    time: Time,
    played: z.number().int(),
    skipped: z.number().int(),
  }),
]);
export type PlaybackEvent = z.infer<typeof PlaybackEvent>;
