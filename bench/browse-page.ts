/**
 * browse-page: how long the engine takes to answer the first page of 100 messages at a random
 * offset of a large partition (issue 6, item 11), against the floor: a bare kafkajs Fetch of
 * the same range on a connection that is already open, decoded by kafkajs, with nothing else
 * done (no HTTP, no cursor, no decoding to text). Median and p99 of both, and their ratio
 * (floor / engine: 1 means the engine adds nothing).
 *
 * 100,000 messages by default; BENCH_FULL=1 for 1,000,000. The broker is `dist/broker/cli.js`
 * (or an already running one at BENCH_BOOTSTRAP=host:port), the engine `dist/engine/cli.js`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import kafkajs from 'kafkajs';
import { Prng } from '../engine/sampling/prng';

const MESSAGES = process.env.BENCH_FULL === '1' ? 1_000_000 : 100_000;
const PAGE = 100;
const SAMPLES = 200;
const TOPIC = `bench.page.${Date.now()}`;
const root = process.cwd();

function start(script: string, args: string[], ready: RegExp, env: Record<string, string> = {}) {
  const path = join(root, 'dist', script);
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first.`);
  const child = spawn(process.execPath, [path, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  return new Promise<{ child: ChildProcess; match: RegExpMatchArray }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = ready.exec(line);
      if (match) resolve({ child, match });
    });
  });
}

const children: ChildProcess[] = [];
try {
  let bootstrap = process.env.BENCH_BOOTSTRAP;
  if (!bootstrap) {
    const broker = await start(
      'broker/cli.js',
      [
        '--data-dir',
        mkdtempSync(join(tmpdir(), 'logscope-bench-page-')),
        '--port',
        '0',
        '--admin-port',
        '0',
      ],
      /^logscope-broker listening on (\S+):(\d+), admin (\S+)$/,
    );
    children.push(broker.child);
    bootstrap = `${broker.match[1]}:${broker.match[2]}`;
  }
  const token = randomBytes(32).toString('hex');
  const engine = await start(
    'engine/cli.js',
    [
      '--data-dir',
      mkdtempSync(join(tmpdir(), 'logscope-bench-engine-')),
      '--port',
      '0',
      '--broker',
      bootstrap,
      '--no-demo',
    ],
    /^\{"event":"ready","port":(\d+)\}$/,
    { LOGSCOPE_TOKEN: token },
  );
  children.push(engine.child);
  const api = `http://127.0.0.1:${engine.match[1]}/api/v1/clusters/local/topics/${TOPIC}`;

  // The data: one partition of realistic ~200-byte JSON values.
  const kafka = new kafkajs.Kafka({ brokers: [bootstrap], logLevel: kafkajs.logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }], waitForLeaders: true });
  const producer = kafka.producer();
  await producer.connect();
  // Batches of 100 records (~25 KB), as a producer with default settings writes them: a fetch
  // returns whole batches, so batch size decides how much a page must decode.
  const started = Date.now() - MESSAGES;
  const BATCH = 100;
  const inFlight = new Set<Promise<unknown>>();
  for (let first = 0; first < MESSAGES; first += BATCH) {
    const sent = producer.send({
      topic: TOPIC,
      acks: 1,
      messages: Array.from({ length: Math.min(BATCH, MESSAGES - first) }, (_, j) => {
        const n = first + j;
        return {
          key: `customer-${n % 997}`,
          value: JSON.stringify({
            n,
            amount: ((n * 37) % 10_000) / 10,
            currency: 'EUR',
            country: 'DE',
            note: 'x'.repeat(120),
          }),
          timestamp: String(started + n),
        };
      }),
    });
    inFlight.add(sent);
    void sent.finally(() => inFlight.delete(sent));
    if (inFlight.size >= 32) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);

  // The floor: kafkajs's own broker connection, one Fetch per page, as the engine's source
  // does, minus everything the engine adds.
  const symbol = Object.getOwnPropertySymbols(kafka).find(
    (s) => s.description === 'private:Kafka:createCluster',
  )!;
  interface BareBroker {
    fetch(request: object): Promise<{
      responses: { partitions: { messages: { offset: string }[] }[] }[];
    }>;
  }
  interface BareCluster {
    connect(): Promise<void>;
    disconnect(): Promise<void>;
    addTargetTopic(topic: string): Promise<void>;
    findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
    findBroker(options: { nodeId: string }): Promise<BareBroker>;
  }
  const cluster = (kafka as unknown as Record<symbol, (o: object) => BareCluster>)[symbol]!({
    allowAutoTopicCreation: false,
    isolationLevel: 0,
  });
  await cluster.connect();
  await cluster.addTargetTopic(TOPIC);
  const leader = Object.keys(cluster.findLeaderForPartitions(TOPIC, [0]))[0]!;
  const broker = await cluster.findBroker({ nodeId: leader });
  const bareFetch = async (offset: number) => {
    let got = 0;
    for (let at = offset; got < PAGE;) {
      const response = await broker.fetch({
        isolationLevel: 0,
        maxWaitTime: 0,
        minBytes: 1,
        maxBytes: 64 * 1024,
        topics: [
          {
            topic: TOPIC,
            partitions: [{ partition: 0, fetchOffset: String(at), maxBytes: 64 * 1024 }],
          },
        ],
      });
      const messages = response.responses[0]!.partitions[0]!.messages.filter(
        (m) => Number(m.offset) >= at,
      );
      if (messages.length === 0) break;
      got += messages.length;
      at = Number(messages.at(-1)!.offset) + 1;
    }
    if (got < PAGE) throw new Error(`the bare fetch found ${got} messages at ${offset}`);
  };
  const enginePage = async (offset: number) => {
    const response = await fetch(`${api}/messages?partition=0&offset=${offset}&limit=${PAGE}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const page = (await response.json()) as { messages?: unknown[] };
    if (page.messages?.length !== PAGE)
      throw new Error(`the engine answered ${JSON.stringify(page).slice(0, 300)}`);
  };
  const time = async (work: () => Promise<void>) => {
    const begin = performance.now();
    await work();
    return performance.now() - begin;
  };

  const prng = new Prng('browse-page');
  const offsets = Array.from({ length: SAMPLES }, () => prng.nextInt(MESSAGES - PAGE));
  for (const offset of offsets.slice(0, 20)) {
    await enginePage(offset); // warm-up: connections, JIT, the broker's caches
    await bareFetch(offset);
  }
  const engineMs: number[] = [];
  const floorMs: number[] = [];
  // Interleaved, so that both see the same machine noise.
  for (const offset of offsets) {
    engineMs.push(await time(() => enginePage(offset)));
    floorMs.push(await time(() => bareFetch(offset)));
  }
  const quantile = (values: number[], q: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  };
  const round = (n: number, digits = 2) => Number(n.toFixed(digits));
  for (const [name, q] of [
    ['browse-page', 0.5],
    ['browse-page-p99', 0.99],
  ] as const) {
    const engineValue = quantile(engineMs, q);
    const floorValue = quantile(floorMs, q);
    console.log(
      JSON.stringify({
        bench: name,
        ratio: round(floorValue / engineValue, 3),
        value: round(engineValue),
        unit: 'ms',
        baseline: `bare kafkajs Fetch of the same ${PAGE} messages on an open connection: ${round(floorValue)} ms (${q === 0.5 ? 'median' : 'p99'})`,
        messages: MESSAGES,
        samples: SAMPLES,
        engineMedianMs: round(quantile(engineMs, 0.5)),
        engineP99Ms: round(quantile(engineMs, 0.99)),
        floorMedianMs: round(quantile(floorMs, 0.5)),
        floorP99Ms: round(quantile(floorMs, 0.99)),
      }),
    );
  }
  await cluster.disconnect();
  await producer.disconnect();
  await admin.deleteTopics({ topics: [TOPIC] }).catch(() => undefined);
  await admin.disconnect();
} finally {
  for (const child of children.reverse()) child.kill('SIGTERM');
}
