/**
 * broker-produce: kcat -P of MESSAGES messages of 100 bytes (1,000,000 with BENCH_FULL=1)
 * into `logscope-broker` on one partition, timed from kcat's start to its exit (all acked,
 * librdkafka's default acks=all), against the commit log's in-process append of the same
 * number of 100-byte records in batches of 1,000 — the protocol's overhead on top of the log.
 * Runs alternate between the two (3 each, each kcat run into a topic of its own, each floor
 * into a fresh log; median), so that load elsewhere on the machine falls on both alike.
 */
import { median, round, report } from '../broker/log/testing/benchSupport';
import {
  MESSAGES,
  VALUE_BYTES,
  logAppend,
  logBatches,
  messageLines,
  runKcat,
  startBenchBroker,
} from './_brokerBench';

const RUNS = 3;

const input = messageLines(MESSAGES);
const batches = logBatches();
const broker = await startBenchBroker();
const kcatMs: number[] = [];
const logMs: number[] = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const floor = await logAppend(batches);
    floor.dir.remove();
    logMs.push(floor.ms);
    const produced = await runKcat(
      ['-b', broker.bootstrap, '-P', '-t', `bench-${run}`, '-p', '0', '-X', 'linger.ms=5'],
      input,
    );
    kcatMs.push(produced.ms);
  }
} finally {
  await broker.stop();
}
const rate = MESSAGES / (median(kcatMs) / 1000);
const floorRate = MESSAGES / (median(logMs) / 1000);
report({
  bench: 'broker-produce',
  ratio: round(rate / floorRate),
  value: Math.round(rate),
  unit: 'msg/s',
  baseline: `commit log in-process append of the same records in batches of 1,000: ${Math.round(floorRate)} msg/s`,
  messages: MESSAGES,
  MBps: round((MESSAGES * VALUE_BYTES) / 1e6 / (median(kcatMs) / 1000), 1),
  kcatMs: kcatMs.map(Math.round),
  logMs: logMs.map(Math.round),
});
