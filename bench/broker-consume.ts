/**
 * broker-consume: kcat -C -e of MESSAGES messages of 100 bytes (1,000,000 with BENCH_FULL=1)
 * from `logscope-broker`, from the beginning of one partition to its end, timed from kcat's
 * start to its exit, against the same kcat -C of the same stored batches from a minimal
 * loopback source (bench/_loopbackSource.ts) in the same run.
 *
 * Why this floor: most of kcat -C's time is kcat's own — process start, librdkafka's fetch
 * loop, decoding and printing every message — which an in-process read of the log does not
 * do (that floor, still printed as `logReadMsgps`, gave ratio 0.03 whatever the broker did).
 * The loopback source does everything but the broker's part: it hands kcat the very bytes
 * the broker stored, as the broker would (same protocol versions, same batches per fetch,
 * one gathering write per response) but from memory, with no log read, handler or metrics. So
 * the ratio is the broker's own overhead: 1 means kcat cannot tell the broker from memory.
 * Runs alternate between the two (3 each, median), so that load elsewhere on the machine
 * falls on both alike.
 */
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { median, round, report } from '../broker/log/testing/benchSupport';
import {
  MESSAGES,
  VALUE_BYTES,
  logAppend,
  logBatches,
  logRead,
  messageLines,
  runKcat,
  startBenchBroker,
  storedBatches,
} from './_brokerBench';
import { serveLoopbackSource } from './_loopbackSource';

const RUNS = 3;

/** The loopback source as its own process (the broker is one too), on `file`'s batches. */
async function startLoopbackSource(
  file: string,
): Promise<{ bootstrap: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [process.argv[1]!, '--loopback-source', file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const bootstrap = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^loopback source listening on (\S+)$/.exec(line);
      if (match) resolve(match[1]!);
    });
    void exited.then(() => reject(new Error('the loopback source exited before it was ready')));
  });
  return {
    bootstrap,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const consumeArgs = (bootstrap: string): string[] => [
  '-b',
  bootstrap,
  '-C',
  '-t',
  'bench',
  '-p',
  '0',
  '-o',
  'beginning',
  '-e',
  '-q',
  // Room to prefetch the whole partition: with librdkafka's default 64 MiB queue, a source
  // that delivers faster than kcat prints fills it and the fetcher backs off, so the faster
  // source measured slower. With room, both runs are kcat's own pace once the bytes arrive.
  '-X',
  'queued.max.messages.kbytes=2097151',
  '-X',
  'queued.min.messages=10000000',
];

async function consume(bootstrap: string): Promise<number> {
  const run = await runKcat(consumeArgs(bootstrap));
  if (run.lines !== MESSAGES) throw new Error(`kcat read ${run.lines} of ${MESSAGES}`);
  return run.ms;
}

async function main(): Promise<void> {
  const appended = await logAppend(logBatches());
  const read = await logRead(appended.dir.path);
  appended.dir.remove();
  if (read.records !== MESSAGES) throw new Error(`log read ${read.records} of ${MESSAGES}`);

  let broker = await startBenchBroker();
  const dataDir = broker.dataDir;
  const file = `${dataDir.path}.batches`;
  const brokerMs: number[] = [];
  const sourceMs: number[] = [];
  try {
    await runKcat(
      ['-b', broker.bootstrap, '-P', '-t', 'bench', '-p', '0', '-X', 'linger.ms=5'],
      messageLines(MESSAGES),
    );
    // The floor serves exactly the batches the broker stored; the broker then reopens them.
    await broker.stop({ keepDataDir: true });
    writeFileSync(file, await storedBatches(dataDir.path));
    broker = await startBenchBroker(dataDir);
    const source = await startLoopbackSource(file);
    try {
      for (let run = 0; run < RUNS; run++) {
        brokerMs.push(await consume(broker.bootstrap));
        sourceMs.push(await consume(source.bootstrap));
      }
    } finally {
      await source.stop();
    }
  } finally {
    await broker.stop();
    rmSync(file, { force: true });
  }
  const rate = MESSAGES / (median(brokerMs) / 1000);
  const floorRate = MESSAGES / (median(sourceMs) / 1000);
  report({
    bench: 'broker-consume',
    ratio: round(rate / floorRate),
    value: Math.round(rate),
    unit: 'msg/s',
    baseline: `kcat -C of the same stored batches from a minimal in-memory loopback source: ${Math.round(floorRate)} msg/s`,
    messages: MESSAGES,
    MBps: round((MESSAGES * VALUE_BYTES) / 1e6 / (median(brokerMs) / 1000), 1),
    kcatBrokerMs: brokerMs.map(Math.round),
    kcatSourceMs: sourceMs.map(Math.round),
    logReadMsgps: Math.round(MESSAGES / (read.ms / 1000)),
  });
}

// Last: main() uses the constants above.
if (process.argv[2] === '--loopback-source') {
  await serveLoopbackSource('bench', process.argv[3]!);
} else {
  await main();
}
