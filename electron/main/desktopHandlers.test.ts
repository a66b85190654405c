/**
 * The desktop IPC as the main process answers it: only Logscope's own windows showing the
 * engine's page are answered, and only with arguments that pass the contract's schemas.
 */
import { describe, expect, it } from 'vitest';
import { defaultDesktopSettings, type DesktopSettings } from '../../engine/api/desktop';
import { invokeChannels } from '../preload/channels';
import { desktopHandlers, type DesktopHost } from './desktopHandlers';
import type { IpcSender } from './ipcRouter';

const ORIGIN = 'http://127.0.0.1:41234';
const OUR_WINDOW = 7;

function setUp() {
  const calls: [string, unknown][] = [];
  let settings: DesktopSettings = defaultDesktopSettings;
  const host: DesktopHost = {
    engineEndpoint: () => ({ url: ORIGIN, token: 'x'.repeat(64) }),
    pickFolder: async (options) => (calls.push(['pickFolder', options]), '/data/kafka-logs'),
    saveFile: async (options) => (calls.push(['saveFile', options]), null),
    secrets: {
      available: () => true,
      store: (name, value) => void calls.push(['store', [name, value]]),
      retrieve: (name) => (name === 'cluster:prod:password' ? 's3cret' : null),
      remove: (name) => void calls.push(['remove', name]),
    },
    revealInFileManager: (path) => void calls.push(['reveal', path]),
    appVersion: () => '0.1.0',
    readSettings: () => settings,
    writeSettings: async (next) => void (settings = next),
  };
  const router = desktopHandlers(host, {
    webContentsIds: () => [OUR_WINDOW],
    appOrigin: () => ORIGIN,
  });
  const ours: IpcSender = {
    webContentsId: OUR_WINDOW,
    frameUrl: `${ORIGIN}/c/local`,
    isMainFrame: true,
  };
  return { host, router, calls, ours, settings: () => settings };
}

describe('desktop IPC: who may call', () => {
  const { router, calls } = setUp();
  const strangers: [string, IpcSender][] = [
    ['another web contents', { webContentsId: 99, frameUrl: `${ORIGIN}/`, isMainFrame: true }],
    [
      'our window showing another origin',
      { webContentsId: OUR_WINDOW, frameUrl: 'https://evil.example/', isMainFrame: true },
    ],
    [
      'an iframe in our window',
      { webContentsId: OUR_WINDOW, frameUrl: `${ORIGIN}/`, isMainFrame: false },
    ],
    ['a frame that is gone', { webContentsId: OUR_WINDOW, frameUrl: undefined, isMainFrame: true }],
    [
      'a file: page',
      { webContentsId: OUR_WINDOW, frameUrl: 'file:///tmp/x.html', isMainFrame: true },
    ],
  ];

  it.each(strangers)('refuses %s', async (_name, sender) => {
    const reply = await router.dispatch(invokeChannels.revealInFileManager, sender, ['/etc']);
    expect(reply).toEqual({
      ok: false,
      error: {
        name: 'IpcError',
        code: 'FORBIDDEN',
        message: 'this page may not use the desktop API',
      },
    });
    expect(calls).toEqual([]);
  });

  it('refuses everyone before the engine’s origin is known', async () => {
    const router = desktopHandlers(setUp().host, {
      webContentsIds: () => [OUR_WINDOW],
      appOrigin: () => null,
    });
    const reply = await router.dispatch(
      invokeChannels.appVersion,
      { webContentsId: OUR_WINDOW, frameUrl: `${ORIGIN}/`, isMainFrame: true },
      [],
    );
    expect(reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('desktop IPC: arguments', () => {
  it('answers valid calls from our window', async () => {
    const { router, calls, ours, settings } = setUp();
    expect(await router.dispatch(invokeChannels.appVersion, ours, [])).toEqual({
      ok: true,
      value: '0.1.0',
    });
    expect(await router.dispatch(invokeChannels.pickFolder, ours, [])).toEqual({
      ok: true,
      value: '/data/kafka-logs',
    });
    expect(
      await router.dispatch(invokeChannels.secretsRead, ours, ['cluster:prod:password']),
    ).toEqual({
      ok: true,
      value: 's3cret',
    });
    await router.dispatch(invokeChannels.saveFile, ours, [
      { defaultName: 'orders.jsonl', filters: [{ name: 'JSON lines', extensions: ['jsonl'] }] },
    ]);
    await router.dispatch(invokeChannels.revealInFileManager, ours, ['C:\\Users\\ada\\export.csv']);
    const next = { localBroker: { enabled: false, port: 19092, dataDir: '/srv/logscope' } };
    expect(await router.dispatch(invokeChannels.settingsSet, ours, [next])).toEqual({
      ok: true,
      value: undefined,
    });
    expect(settings()).toEqual(next);
    expect(calls).toEqual([
      ['pickFolder', {}],
      [
        'saveFile',
        { defaultName: 'orders.jsonl', filters: [{ name: 'JSON lines', extensions: ['jsonl'] }] },
      ],
      ['reveal', 'C:\\Users\\ada\\export.csv'],
    ]);
  });

  const invalid: [string, string, unknown[]][] = [
    ['a relative path to reveal', invokeChannels.revealInFileManager, ['../../etc/passwd']],
    ['a path with NUL', invokeChannels.revealInFileManager, ['/tmp/a\0b']],
    ['a non-string path', invokeChannels.revealInFileManager, [{ toString: '/' }]],
    ['a save name with folders', invokeChannels.saveFile, [{ defaultName: '../../.bashrc' }]],
    [
      'unknown save options',
      invokeChannels.saveFile,
      [{ defaultName: 'a.csv', properties: ['x'] }],
    ],
    [
      'a bad filter extension',
      invokeChannels.saveFile,
      [{ defaultName: 'a', filters: [{ name: 'x', extensions: ['*.exe;rm'] }] }],
    ],
    ['a relative default folder', invokeChannels.pickFolder, [{ defaultPath: 'data' }]],
    ['a secret name with spaces', invokeChannels.secretsStore, ['my secret', 'v']],
    ['a secret that is not text', invokeChannels.secretsStore, ['name', 42]],
    ['too many arguments', invokeChannels.appVersion, ['extra']],
    [
      'a port out of range',
      invokeChannels.settingsSet,
      [{ localBroker: { enabled: true, port: 70000, dataDir: null } }],
    ],
    [
      'settings with extra keys',
      invokeChannels.settingsSet,
      [{ localBroker: { enabled: true, port: 9092, dataDir: null }, nodeOptions: '--inspect' }],
    ],
  ];

  it.each(invalid)('rejects %s', async (_name, channel, args) => {
    const { router, calls, ours, settings } = setUp();
    const reply = await router.dispatch(channel, ours, args);
    expect(reply).toMatchObject({
      ok: false,
      error: { name: 'IpcError', code: 'INVALID_ARGUMENT' },
    });
    expect(calls).toEqual([]);
    expect(settings()).toEqual(defaultDesktopSettings);
  });

  it('rejects a channel it does not know', async () => {
    const { router, ours } = setUp();
    expect(await router.dispatch('logscope:run-shell', ours, ['rm -rf /'])).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });
  });

  it('handles every channel the preload can call', () => {
    const { router } = setUp();
    expect(router.channels().sort()).toEqual(Object.values(invokeChannels).sort());
  });

  it('reports a failing effect as a value, not a thrown error', async () => {
    const { host, ours } = setUp();
    const failing = desktopHandlers(
      {
        ...host,
        appVersion: () => {
          throw new Error('disk on fire');
        },
      },
      { webContentsIds: () => [OUR_WINDOW], appOrigin: () => ORIGIN },
    );
    expect(await failing.dispatch(invokeChannels.appVersion, ours, [])).toEqual({
      ok: false,
      error: { name: 'IpcError', code: 'FAILED', message: 'disk on fire' },
    });
  });
});
