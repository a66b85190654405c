/**
 * broker-produce: kcat -P of MESSAGES messages of 100 bytes (1,000,000 with BENCH_FULL=1)
 * into `logscope-broker` on one partition, timed from kcat's start to its exit (all acked,
 * librdkafka's default acks=all), against the commit log's in-process append of the same
 * number of 100-byte records in batches of 1,000 — the protocol's overhead on top of the log.
 */
import { round, report } from '../broker/log/testing/benchSupport';
import {
  MESSAGES,
  VALUE_BYTES,
  logAppend,
  logBatches,
  messageLines,
  runKcat,
  startBenchBroker,
} from './_brokerBench';

const input = messageLines(MESSAGES);
const floor = await logAppend(logBatches());
floor.dir.remove();
const broker = await startBenchBroker();
try {
  const run = await runKcat(
    ['-b', broker.bootstrap, '-P', '-t', 'bench', '-p', '0', '-X', 'linger.ms=5'],
    input,
  );
  const rate = MESSAGES / (run.ms / 1000);
  const floorRate = MESSAGES / (floor.ms / 1000);
  report({
    bench: 'broker-produce',
    ratio: round(rate / floorRate),
    value: Math.round(rate),
    unit: 'msg/s',
    baseline: `commit log in-process append of the same records in batches of 1,000: ${Math.round(floorRate)} msg/s`,
    messages: MESSAGES,
    MBps: round((MESSAGES * VALUE_BYTES) / 1e6 / (run.ms / 1000), 1),
    kcatMs: Math.round(run.ms),
    logMs: Math.round(floor.ms),
  });
} finally {
  await broker.stop();
}
