/**
 * librdkafka, through kcat, against `logscope-broker`: metadata, produce with every codec,
 * consume from every kind of start offset, offsets for times, and a balanced consumer group —
 * over plaintext, TLS, and SASL/SCRAM-SHA-256.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type RunningBroker } from '../support/broker';
import { kcat, kcatOk } from '../support/kcat';
import { temporaryDir } from '../support/processes';
import { selfSignedCertificate } from '../support/tls';

interface Setup {
  name: string;
  brokerArgs: () => Promise<string[]>;
  clientArgs: string[];
}

let certFile = '';
const setups: Setup[] = [
  { name: 'plaintext', brokerArgs: async () => [], clientArgs: [] },
  {
    name: 'TLS',
    brokerArgs: async () => {
      const certificate = await selfSignedCertificate();
      certFile = certificate.certFile;
      return ['--tls-cert', certificate.certFile, '--tls-key', certificate.keyFile];
    },
    clientArgs: ['-X', 'security.protocol=ssl', '-X', 'ssl.ca.location=CERT'],
  },
  {
    name: 'SASL/SCRAM-SHA-256',
    brokerArgs: async () => {
      const file = join(await temporaryDir('sasl'), 'users.json');
      await writeFile(
        file,
        JSON.stringify({ users: [{ username: 'alice', password: 'alice-secret' }] }),
      );
      return ['--sasl-users', file];
    },
    clientArgs: [
      '-X',
      'security.protocol=sasl_plaintext',
      '-X',
      'sasl.mechanisms=SCRAM-SHA-256',
      '-X',
      'sasl.username=alice',
      '-X',
      'sasl.password=alice-secret',
    ],
  },
];

const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

describe.each(setups)('kcat over $name', (setup) => {
  let broker: RunningBroker;
  const client = () => [
    '-b',
    broker.bootstrap,
    ...setup.clientArgs.map((a) => a.replace('CERT', certFile)),
  ];

  beforeAll(async () => {
    broker = await startBroker(['--auto-create-topics', ...(await setup.brokerArgs())]);
  });
  afterAll(async () => {
    expect(await broker.process.stop()).toBe(0);
  });

  it('lists the broker and its topics (-L)', async () => {
    await kcatOk([...client(), '-P', '-t', 'meta-topic'], 'hello\n');
    const metadata = JSON.parse(await kcatOk([...client(), '-L', '-J'])) as {
      brokers: { id: number; name: string }[];
      topics: { topic: string; partitions: unknown[] }[];
    };
    expect(metadata.brokers).toEqual([{ id: 0, name: broker.bootstrap }]);
    expect(metadata.topics.map((t) => t.topic)).toContain('meta-topic');
  });

  it.each(CODECS)('produces with -z %s and consumes every message back', async (codec) => {
    const topic = `codec-${codec}`;
    const lines = Array.from(
      { length: 500 },
      (_, i) => `message ${i} ${codec} ${'x'.repeat(i % 50)}`,
    );
    await kcatOk([...client(), '-P', '-t', topic, '-p', '0', '-z', codec], `${lines.join('\n')}\n`);
    const consumed = await kcatOk([
      ...client(),
      '-C',
      '-t',
      topic,
      '-o',
      'beginning',
      '-e',
      '-q',
      '-f',
      '%o %s\n',
    ]);
    expect(consumed.trimEnd().split('\n')).toEqual(
      lines.map((line, offset) => `${offset} ${line}`),
    );
  });

  it('consumes from the end, from the last N, and by timestamp; answers offsets for times (-Q)', async () => {
    const topic = 'positions';
    await kcatOk([...client(), '-P', '-t', topic, '-p', '0'], 'a\nb\nc\nd\n');
    const fromEnd = await kcatOk([
      ...client(),
      '-C',
      '-t',
      topic,
      '-o',
      'end',
      '-e',
      '-q',
      '-f',
      '%s\n',
    ]);
    expect(fromEnd).toBe('');
    const lastTwo = await kcatOk([
      ...client(),
      '-C',
      '-t',
      topic,
      '-o',
      '-2',
      '-e',
      '-q',
      '-f',
      '%s\n',
    ]);
    expect(lastTwo).toBe('c\nd\n');

    const timestamps = (
      await kcatOk([...client(), '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%T\n'])
    )
      .trim()
      .split('\n')
      .map(Number);
    const third = timestamps[2]!;
    const fromTime = await kcatOk([
      ...client(),
      '-C',
      '-t',
      topic,
      '-o',
      `s@${third}`,
      '-e',
      '-q',
      '-f',
      '%T %s\n',
    ]);
    // Everything at or after the third message's timestamp (earlier ones may share it).
    const expected = ['a', 'b', 'c', 'd'].flatMap((value, i) =>
      timestamps[i]! >= third ? [`${timestamps[i]} ${value}`] : [],
    );
    expect(fromTime.trimEnd().split('\n')).toEqual(expected);

    const offsets = await kcatOk([...client(), '-Q', '-t', `${topic}:0:${third}`]);
    const firstAtOrAfter = timestamps.findIndex((t) => t >= third);
    expect(offsets).toContain(`offset ${firstAtOrAfter}`);
  });

  it('runs a balanced consumer group (-G) that reads every message and commits', async () => {
    const topic = 'grouped';
    const admin = new Kafka({
      clientId: 'setup',
      brokers: [broker.bootstrap],
      logLevel: logLevel.NOTHING,
      ...kafkajsSecurity(setup.name),
    }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    await admin.disconnect();
    const lines = Array.from({ length: 90 }, (_, i) => `g${i}`);
    await kcatOk(
      [...client(), '-P', '-t', topic, '-K', ':'],
      `${lines.map((l) => `${l}:${l}`).join('\n')}\n`,
    );
    const consumed = await kcatOk([
      ...client(),
      '-G',
      'kcat-group',
      topic,
      '-X',
      'auto.offset.reset=earliest',
      '-e',
      '-q',
      '-f',
      '%s\n',
    ]);
    expect(consumed.trim().split('\n').sort()).toEqual([...lines].sort());
  });

  if (setup.name === 'SASL/SCRAM-SHA-256') {
    it('refuses a wrong password with an authentication error', async () => {
      const wrong = client().map((a) =>
        a === 'sasl.password=alice-secret' ? 'sasl.password=wrong' : a,
      );
      const result = await kcat([...wrong, '-L', '-m', '5']);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/Authentication failed|SASL authentication error/i);
    });
  }
});

function kafkajsSecurity(name: string) {
  if (name === 'TLS') return { ssl: { ca: [readFileSync(certFile, 'utf8')] } };
  if (name.startsWith('SASL')) {
    return {
      sasl: { mechanism: 'scram-sha-256' as const, username: 'alice', password: 'alice-secret' },
    };
  }
  return {};
}
