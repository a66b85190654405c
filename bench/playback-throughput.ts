/**
 * playback-throughput: messages/s of a playback at max speed (merged by timestamp across
 * partitions, decoded to API messages, serialized as the WebSocket hub sends them), against
 * its floor: a bare kafkajs consumer reading the same topic from the start and doing nothing
 * with the messages. Also printed: the merge-only read (PartitionScan) that playback builds on.
 *
 * 300,000 messages by default; BENCH_FULL=1 for 2,000,000.
 */
import { PlaybackParams } from '../engine/api';
import { PartitionScan } from '../engine/browse/partitionScan';
import { startPlayback } from '../engine/playback/playbackStream';
import { KafkaSource } from '../engine/sources/kafkaSource';
import { fillTopic, line, startBroker, kafkajsConsume } from './lib/edaBench';

const MESSAGES = process.env.BENCH_FULL === '1' ? 2_000_000 : 300_000;
const TOPIC = `bench.playback.${Date.now()}`;

const { bootstrap, child } = await startBroker();
try {
  const filledAt = Date.now();
  await fillTopic(bootstrap, TOPIC, MESSAGES);

  const { ms: consumeMs } = await kafkajsConsume(bootstrap, TOPIC, MESSAGES);

  const source = new KafkaSource({ brokers: [bootstrap], clientId: 'bench' });
  const offsets = await source.offsets(TOPIC); // connected before the clock starts, as the consumer

  // The merge alone: every partition from its start, records in timestamp order.
  const scanStart = performance.now();
  const scan = new PartitionScan({
    topic: TOPIC,
    reader: source,
    direction: 'forward',
    start: new Map(offsets.map((p) => [p.partition, p.logStartOffset])),
    end: new Map(offsets.map((p) => [p.partition, p.highWatermark])),
    floor: new Map(offsets.map((p) => [p.partition, p.logStartOffset])),
    sizes: source.sizes(TOPIC),
  });
  scan.wanted = 500;
  let scanned = 0;
  while ((await scan.next()) !== null) scanned++;
  const scanMs = performance.now() - scanStart;

  // The whole window at max speed; each event serialized, as the hub does before sending.
  const params = PlaybackParams.parse({
    cluster: 'local',
    topic: TOPIC,
    from: filledAt,
    to: Date.now() + MESSAGES,
    speed: 'max',
  });
  let played = 0;
  let serializedBytes = 0;
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    startPlayback(source, params, {
      emit: (event) => {
        serializedBytes += JSON.stringify(event).length;
        if (event.kind === 'tick') played += event.messages.length;
        return true;
      },
      end: resolve,
      fail: (error) => reject(new Error(error.message)),
    });
  });
  const playMs = performance.now() - t0;
  await source.close();
  if (played !== MESSAGES || scanned !== MESSAGES)
    throw new Error(`played ${played}, scanned ${scanned} of ${MESSAGES}`);
  const playRate = MESSAGES / (playMs / 1000);
  const consumeRate = MESSAGES / (consumeMs / 1000);
  line({
    bench: 'playback-throughput',
    ratio: Number((playRate / consumeRate).toFixed(3)),
    value: Math.round(playRate),
    unit: 'msg/s',
    baseline: `bare kafkajs consume of the same messages: ${Math.round(consumeRate)} msg/s`,
    messages: MESSAGES,
    mergeOnly: `${Math.round(MESSAGES / (scanMs / 1000))} msg/s (PartitionScan, no decode)`,
    serializedMB: Number((serializedBytes / 1e6).toFixed(1)),
    playMs: Math.round(playMs),
    consumeMs: Math.round(consumeMs),
  });
} finally {
  child.kill();
}
