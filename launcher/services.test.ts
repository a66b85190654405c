/**
 * The desktop app's process orchestration with real Node children that speak the broker's and
 * the engine's ready lines, recording what they were started with and when they stopped.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceNotice } from '../engine/api/desktop';
import { forkNode } from './nodeProcess';
import { Services, parseBrokerReady, parseEngineReady } from './services';

const dir = mkdtempSync(join(tmpdir(), 'logscope-services-'));

// Each fake appends one JSON line per event to the journal named in its environment.
const journalHelpers = `
  import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
  const note = (event) => appendFileSync(process.env.JOURNAL, JSON.stringify(event) + '\\n');
  const arg = (name) => process.argv[process.argv.indexOf(name) + 1];
`;
const fakeBroker = join(dir, 'broker.mjs');
writeFileSync(
  fakeBroker,
  `${journalHelpers}
  note({ process: 'broker', event: 'start', args: process.argv.slice(2) });
  process.on('SIGTERM', () => { note({ process: 'broker', event: 'stop' }); process.exit(0); });
  const port = arg('--port') === '0' ? 39092 : arg('--port');
  console.log('logscope-broker listening on 127.0.0.1:' + port + ', admin http://127.0.0.1:39093');
  setInterval(() => {}, 1000);`,
);
const fakeEngine = join(dir, 'engine.mjs');
writeFileSync(
  fakeEngine,
  `${journalHelpers}
  note({ process: 'engine', event: 'start', args: process.argv.slice(2), token: process.env.LOGSCOPE_TOKEN });
  process.on('SIGTERM', () => { note({ process: 'engine', event: 'stop' }); process.exit(0); });
  const port = arg('--port') === '0' ? 38080 : Number(arg('--port'));
  console.log(JSON.stringify({ event: 'ready', port }));
  // With CRASH_MARKER set, the first run crashes once it is up.
  if (process.env.CRASH_MARKER && !existsSync(process.env.CRASH_MARKER)) {
    writeFileSync(process.env.CRASH_MARKER, '');
    setTimeout(() => { console.error('engine fell over'); process.exit(70); }, 0);
  }
  setInterval(() => {}, 1000);`,
);

interface JournalEntry {
  process: 'broker' | 'engine';
  event: 'start' | 'stop';
  args?: string[];
  token?: string;
}

let running: Services[] = [];
afterEach(async () => {
  await Promise.all(running.map((services) => services.stop()));
  running = [];
});

function setUp(name: string, options: { broker: boolean; crashMarker?: string }) {
  const journal = join(dir, `${name}.jsonl`);
  writeFileSync(journal, '');
  const services = new Services({
    brokerScript: fakeBroker,
    engineScript: fakeEngine,
    staticDir: '/app/dist/renderer',
    dataDir: '/data/logscope',
    token: 'a-token-of-at-least-16-chars',
    localBroker: { enabled: options.broker, port: 0, dataDir: null },
    spawn: (script, args, env) =>
      forkNode(script, args, {
        ...env,
        JOURNAL: journal,
        ...(options.crashMarker ? { CRASH_MARKER: options.crashMarker } : {}),
      }),
    supervision: { initialBackoffMs: 10 },
  });
  running.push(services);
  const read = (): JournalEntry[] =>
    readFileSync(journal, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as JournalEntry);
  return { services, read };
}

describe('Services', () => {
  it('starts the broker first and points the engine at it, with the token in the environment', async () => {
    const { services, read } = setUp('order', { broker: true });
    const started = await services.start();
    expect(started).toEqual({
      engineOrigin: 'http://127.0.0.1:38080',
      broker: { host: '127.0.0.1', port: 39092, adminUrl: 'http://127.0.0.1:39093' },
    });
    const [broker, engine] = read();
    expect(broker).toMatchObject({ process: 'broker', event: 'start' });
    expect(broker!.args).toEqual(
      expect.arrayContaining(['--data-dir', '/data/logscope/broker', '--host', '127.0.0.1']),
    );
    expect(engine).toMatchObject({
      process: 'engine',
      event: 'start',
      token: 'a-token-of-at-least-16-chars',
    });
    expect(engine!.args).toEqual([
      '--data-dir',
      '/data/logscope',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--static-dir',
      '/app/dist/renderer',
      '--broker',
      '127.0.0.1:39092',
      '--broker-admin',
      'http://127.0.0.1:39093',
    ]);
    expect(engine!.args!.join(' ')).not.toContain('a-token-of-at-least-16-chars');
  });

  it('stops the engine before the broker', async () => {
    const { services, read } = setUp('stop', { broker: true });
    await services.start();
    await services.stop();
    expect(read().map((entry) => `${entry.process} ${entry.event}`)).toEqual([
      'broker start',
      'engine start',
      'engine stop',
      'broker stop',
    ]);
  });

  it('runs only the engine when the local broker is turned off', async () => {
    const { services, read } = setUp('no-broker', { broker: false });
    expect(await services.start()).toEqual({
      engineOrigin: 'http://127.0.0.1:38080',
      broker: null,
    });
    const entries = read();
    expect(entries.map((entry) => entry.process)).toEqual(['engine']);
    expect(entries[0]!.args).not.toContain('--broker');
  });

  it('restarts a crashed engine on the same port and tells about the crash and the recovery', async () => {
    const { services, read } = setUp('crash', {
      broker: false,
      crashMarker: join(dir, `crash-${Date.now()}`),
    });
    const notices: ServiceNotice[] = [];
    const recovered = new Promise<void>((resolve) =>
      services.on('notice', (notice) => {
        notices.push(notice);
        if (notice.kind === 'ready') resolve();
      }),
    );
    await services.start();
    await recovered;
    expect(notices).toEqual([
      {
        service: 'engine',
        kind: 'crashed',
        message: 'engine exited with code 70: engine fell over',
        restartInMs: 10,
      },
      { service: 'engine', kind: 'ready', message: 'engine restarted' },
    ]);
    const starts = read().filter((entry) => entry.event === 'start');
    expect(starts).toHaveLength(2);
    const port = (entry: JournalEntry) => entry.args![entry.args!.indexOf('--port') + 1];
    expect(port(starts[0]!)).toBe('0');
    expect(port(starts[1]!)).toBe('38080');
  });
});

describe('ready lines', () => {
  it('reads the broker’s and the engine’s ready lines and nothing else', () => {
    expect(
      parseBrokerReady('logscope-broker listening on 127.0.0.1:9092, admin http://127.0.0.1:9644'),
    ).toEqual({ host: '127.0.0.1', port: 9092, adminUrl: 'http://127.0.0.1:9644' });
    expect(parseBrokerReady('logscope-broker starting')).toBeUndefined();
    expect(parseEngineReady('{"event":"ready","port":4100}')).toBe(4100);
    expect(parseEngineReady('{"event":"ready"}')).toBeUndefined();
    expect(parseEngineReady('not json')).toBeUndefined();
  });
});
