/**
 * The child process of the crash tests. Modes (argv[2]):
 *
 *   append DIR RUN       appends durable batches to every partition of `crash`, two writers
 *                        per partition, printing `ACK run partition sequence baseOffset` after
 *                        each acknowledged append, until it is killed.
 *   fill DIR RUN         the same with one writer, until an append fails; then prints
 *                        `FAILED name code`, reads the partition back (`READ batches`), tries
 *                        one more append (`FAILED_AGAIN name`) and exits.
 *   hold DIR             opens the data directory, prints READY, and waits to be killed.
 *   open DIR             opens the data directory and prints `OPENED` or `OPEN_ERROR json`.
 *
 * Bundled by the test with esbuild; stdout is a pipe, which Node writes synchronously on
 * Linux, so a printed ACK has left the process before the next append starts.
 */
import { CommitLog, LogError } from '../../broker/log/index';
import { PARTITIONS, TOPIC, crashBatch, formatAck } from './crashBatches';

const [mode, dir, runText] = process.argv.slice(2) as [string, string, string | undefined];
const run = Number(runText ?? 0);
const say = (line: string) => process.stdout.write(line.endsWith('\n') ? line : `${line}\n`);

async function openLog(): Promise<CommitLog> {
  const log = await CommitLog.open(dir, { retentionCheckIntervalMs: 0 });
  if (!log.hasTopic(TOPIC)) await log.createTopic(TOPIC, { partitions: PARTITIONS });
  return log;
}

if (mode === 'open') {
  try {
    const log = await CommitLog.open(dir, { retentionCheckIntervalMs: 0 });
    say('OPENED');
    await log.close();
  } catch (error) {
    const { name, message } = error as Error;
    say(
      `OPEN_ERROR ${JSON.stringify({ name, message, ...(error instanceof LogError ? error.toJSON() : {}) })}`,
    );
  }
} else if (mode === 'hold') {
  await CommitLog.open(dir, { retentionCheckIntervalMs: 0 });
  say('READY');
  setInterval(() => {}, 1 << 30);
} else if (mode === 'append') {
  const log = await openLog();
  say('READY');
  let sequence = 0;
  const writer = async (partition: number) => {
    for (;;) {
      const mine = sequence++;
      const { baseOffset } = await log.append(TOPIC, partition, crashBatch(run, partition, mine), {
        durable: true,
      });
      say(formatAck({ run, partition, sequence: mine, baseOffset }));
    }
  };
  const writers = [];
  for (let partition = 0; partition < PARTITIONS; partition++)
    writers.push(writer(partition), writer(partition));
  await Promise.all(writers);
} else if (mode === 'fill') {
  const log = await openLog();
  say('READY');
  let sequence = 0;
  for (;;) {
    try {
      const { baseOffset } = await log.append(TOPIC, 0, crashBatch(run, 0, sequence), {
        durable: true,
      });
      say(formatAck({ run, partition: 0, sequence, baseOffset }));
      sequence++;
    } catch (error) {
      const { errorName, code } = error as LogError;
      say(`FAILED ${errorName} ${code} ${JSON.stringify((error as Error).message)}`);
      break;
    }
  }
  const { batches } = await log.read(
    TOPIC,
    0,
    log.partitionSummary(TOPIC, 0).logStartOffset,
    1 << 30,
  );
  say(`READ ${batches.length}`);
  try {
    await log.append(TOPIC, 0, crashBatch(run, 0, sequence), { durable: true });
    say('APPENDED_AGAIN');
  } catch (error) {
    say(`FAILED_AGAIN ${(error as LogError).errorName}`);
  }
  await log.close().catch(() => {});
  process.exit(0);
} else {
  throw new Error(`unknown mode ${mode}`);
}
