/**
 * What the EDA benchmarks share: a local broker started from `dist/broker/cli.js`, a topic
 * filled with JSON orders in producer-sized batches, and a KafkaSource reading it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import kafkajs from 'kafkajs';

export async function startBroker(): Promise<{ bootstrap: string; child: ChildProcess }> {
  const path = join(process.cwd(), 'dist', 'broker', 'cli.js');
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first.`);
  const dataDir = mkdtempSync(join(tmpdir(), 'logscope-bench-eda-'));
  const child = spawn(
    process.execPath,
    [path, '--data-dir', dataDir, '--port', '0', '--admin-port', '0'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const bootstrap = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`broker exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^logscope-broker listening on (\S+):(\d+),/.exec(line);
      if (match) resolve(`${match[1]}:${match[2]}`);
    });
  });
  return { bootstrap, child };
}

/** Fills `topic` (4 partitions) with `messages` orders, 100 records a batch, 8 batches in flight. */
export async function fillTopic(bootstrap: string, topic: string, messages: number): Promise<void> {
  const kafka = new kafkajs.Kafka({ brokers: [bootstrap], logLevel: kafkajs.logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 4 }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const inFlight = new Set<Promise<unknown>>();
  for (let start = 0; start < messages; start += 100) {
    const partition = (start / 100) % 4;
    const batch = Array.from({ length: Math.min(100, messages - start) }, (_, i) => ({
      key: `customer-${(start + i) % 997}`,
      value: JSON.stringify({
        id: start + i,
        amount: Math.round(Math.exp(3 + Math.sin(start + i)) * 100) / 100,
        region: ['eu', 'us', 'apac'][(start + i) % 3],
      }),
    }));
    const sent = producer.send({ topic, messages: batch.map((m) => ({ ...m, partition })) });
    inFlight.add(sent);
    void sent.finally(() => inFlight.delete(sent));
    if (inFlight.size >= 8) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  await producer.disconnect();
}

export function line(record: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(record)}\n`);
}
