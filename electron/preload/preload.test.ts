/**
 * The preload as it ships: bundled the way scripts/build.mjs bundles it, then run the way a
 * sandboxed preload runs — with a `require` that knows only `electron` (here a recording fake).
 * It must load, expose exactly one small named API, and never hand the page `ipcRenderer`.
 */
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DesktopApi } from '../../engine/api/desktop';
import { eventChannels, invokeChannels } from './channels';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Loaded {
  exposed: Map<string, unknown>;
  invocations: unknown[][];
  listeners: Map<string, ((...args: unknown[]) => void)[]>;
  required: string[];
  ipcRenderer: object;
  reply: { value: unknown };
}

async function loadPreload(): Promise<Loaded> {
  const result = await build({
    entryPoints: ['electron/preload/index.ts'],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    external: ['electron'],
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  const loaded: Loaded = {
    exposed: new Map(),
    invocations: [],
    listeners: new Map(),
    required: [],
    ipcRenderer: {},
    reply: { value: { ok: true, value: null } },
  };
  const ipcRenderer = {
    invoke: async (...args: unknown[]) => {
      loaded.invocations.push(args);
      return loaded.reply.value;
    },
    on: (channel: string, listener: (...args: unknown[]) => void) => {
      loaded.listeners.set(channel, [...(loaded.listeners.get(channel) ?? []), listener]);
    },
    off: (channel: string, listener: (...args: unknown[]) => void) => {
      loaded.listeners.set(
        channel,
        (loaded.listeners.get(channel) ?? []).filter((entry) => entry !== listener),
      );
    },
  };
  loaded.ipcRenderer = ipcRenderer;
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, value: unknown) => loaded.exposed.set(key, value),
    },
    ipcRenderer,
  };
  const module = { exports: {} };
  // A sandboxed preload's require knows a handful of modules; ours may need only `electron`.
  const sandboxRequire = (name: string) => {
    loaded.required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require "${name}"`);
  };
  runInNewContext(code, { require: sandboxRequire, module, exports: module.exports, Promise });
  return loaded;
}

let loaded: Loaded;
let api: DesktopApi;
beforeAll(async () => {
  loaded = await loadPreload();
  api = loaded.exposed.get('logscope') as DesktopApi;
});

/** Every value reachable from the exposed API. */
function reachable(value: unknown, seen = new Set<unknown>()): unknown[] {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return [];
  if (seen.has(value)) return [];
  seen.add(value);
  return [value, ...Object.values(value).flatMap((child) => reachable(child, seen))];
}

describe('preload', () => {
  it('loads in a sandbox, requiring nothing but electron', () => {
    expect(loaded.required).toEqual(['electron']);
  });

  it('exposes one named API and nothing else', () => {
    expect([...loaded.exposed.keys()]).toEqual(['logscope']);
    expect(Object.keys(api).sort()).toEqual(
      [
        'kind',
        'engineEndpoint',
        'pickFolder',
        'saveFile',
        'secrets',
        'revealInFileManager',
        'appVersion',
        'settings',
        'onMenuCommand',
        'onServiceNotice',
      ].sort(),
    );
    expect(Object.keys(api.secrets).sort()).toEqual(['available', 'read', 'remove', 'store']);
    expect(Object.keys(api.settings).sort()).toEqual(['get', 'set']);
  });

  it('never hands the page ipcRenderer or any of its methods', () => {
    const ipcValues = new Set<unknown>([loaded.ipcRenderer, ...Object.values(loaded.ipcRenderer)]);
    expect(reachable(api).filter((value) => ipcValues.has(value))).toEqual([]);
  });

  it('calls the main process on the named channel and unwraps the reply', async () => {
    loaded.reply.value = { ok: true, value: '/data/kafka-logs' };
    await expect(api.pickFolder({ title: 'Open' })).resolves.toBe('/data/kafka-logs');
    await api.secrets.store('cluster:prod:password', 'hunter2');
    expect(loaded.invocations.slice(-2)).toEqual([
      [invokeChannels.pickFolder, { title: 'Open' }],
      [invokeChannels.secretsStore, 'cluster:prod:password', 'hunter2'],
    ]);
  });

  it('turns a refused call into an error with its name and code', async () => {
    loaded.reply.value = {
      ok: false,
      error: {
        name: 'IpcError',
        code: 'FORBIDDEN',
        message: 'this page may not use the desktop API',
      },
    };
    await expect(api.appVersion()).rejects.toMatchObject({
      name: 'IpcError',
      code: 'FORBIDDEN',
      message: 'this page may not use the desktop API',
    });
  });

  it('passes events to the page without the IPC event, and stops when asked', () => {
    const received: unknown[] = [];
    const unsubscribe = api.onMenuCommand((command) => received.push(command));
    const fire = (payload: unknown) => {
      for (const listener of loaded.listeners.get(eventChannels.menuCommand) ?? [])
        listener({ sender: loaded.ipcRenderer }, payload);
    };
    fire({ command: 'preferences' });
    unsubscribe();
    fire({ command: 'new-connection' });
    expect(received).toEqual([{ command: 'preferences' }]);
  });
});
