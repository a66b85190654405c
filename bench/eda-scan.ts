/**
 * eda-scan: full-scan exact statistics (moments, KLL quantiles, categories) of `$.amount` and
 * `$.region` over a topic, in messages per second, against its floor: a bare kafkajs consumer
 * reading the same topic from the start and doing nothing with the messages.
 * Goal: ratio (scan throughput / consume throughput) ≥ 0.7.
 *
 * 500,000 messages by default; BENCH_FULL=1 for 5,000,000.
 */
import { ScanInput } from '../engine/api/eda';
import { runScan } from '../engine/eda/scanJob';
import { KafkaSource } from '../engine/sources/kafkaSource';
import { fillTopic, line, startBroker, kafkajsConsume } from './lib/edaBench';

const MESSAGES = process.env.BENCH_FULL === '1' ? 5_000_000 : 500_000;
const TOPIC = `bench.scan.${Date.now()}`;

const { bootstrap, child } = await startBroker();
try {
  await fillTopic(bootstrap, TOPIC, MESSAGES);

  const { ms: consumeMs, messages: consumed } = await kafkajsConsume(bootstrap, TOPIC, MESSAGES);

  const source = new KafkaSource({ brokers: [bootstrap], clientId: 'bench' });
  await source.offsets(TOPIC); // connect first, as the consumer had joined before its clock started
  const context = { signal: new AbortController().signal, progress: () => undefined };
  const t0 = performance.now();
  const result = await runScan(
    source,
    TOPIC,
    ScanInput.parse({ fields: ['$.amount', '$.region'] }),
    context,
  );
  const scanMs = performance.now() - t0;
  await source.close();
  const scanRate = result.recordsRead / (scanMs / 1000);
  const consumeRate = consumed / (consumeMs / 1000);
  line({
    bench: 'eda-scan',
    ratio: scanRate / consumeRate,
    value: Math.round(scanRate),
    unit: 'msg/s',
    baseline: `bare kafkajs consume: ${Math.round(consumeRate)} msg/s; goal ratio ≥ 0.7`,
    messages: MESSAGES,
  });
} finally {
  child.kill();
}
