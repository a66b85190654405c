/**
 * broker-consume: kcat -C -e of MESSAGES messages of 100 bytes (1,000,000 with BENCH_FULL=1)
 * from `logscope-broker`, from the beginning of one partition to its end, timed from kcat's
 * start to its exit, against the commit log's in-process read of the same number of records
 * (1 MiB a read, as a consumer fetches).
 */
import { round, report } from '../broker/log/testing/benchSupport';
import {
  MESSAGES,
  VALUE_BYTES,
  logAppend,
  logBatches,
  logRead,
  messageLines,
  runKcat,
  startBenchBroker,
} from './_brokerBench';

const appended = await logAppend(logBatches());
const floor = await logRead(appended.dir.path);
appended.dir.remove();
if (floor.records !== MESSAGES) throw new Error(`log read ${floor.records} of ${MESSAGES}`);
const broker = await startBenchBroker();
try {
  await runKcat(
    ['-b', broker.bootstrap, '-P', '-t', 'bench', '-p', '0', '-X', 'linger.ms=5'],
    messageLines(MESSAGES),
  );
  const run = await runKcat([
    '-b',
    broker.bootstrap,
    '-C',
    '-t',
    'bench',
    '-p',
    '0',
    '-o',
    'beginning',
    '-e',
    '-q',
  ]);
  if (run.lines !== MESSAGES) throw new Error(`kcat read ${run.lines} of ${MESSAGES}`);
  const rate = MESSAGES / (run.ms / 1000);
  const floorRate = MESSAGES / (floor.ms / 1000);
  report({
    bench: 'broker-consume',
    ratio: round(rate / floorRate),
    value: Math.round(rate),
    unit: 'msg/s',
    baseline: `commit log in-process read of the same number of records, 1 MiB a read: ${Math.round(floorRate)} msg/s`,
    messages: MESSAGES,
    MBps: round((MESSAGES * VALUE_BYTES) / 1e6 / (run.ms / 1000), 1),
    kcatMs: Math.round(run.ms),
    logMs: Math.round(floor.ms),
  });
} finally {
  await broker.stop();
}
