/**
 * The sandboxed preload: gives the page `window.logscope`, a small named API (engine/api/desktop.ts
 * `DesktopApi`), and nothing else — never `ipcRenderer` itself. It imports no npm package (a
 * sandboxed preload cannot load one); the main process validates every argument.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { DesktopApi, MenuCommand, ServiceNotice } from '../../engine/api/desktop';
import { eventChannels, invokeChannels, type InvokeChannel, type IpcReply } from './channels';

/** An error from the main process, with the name and code it was sent with. */
class DesktopError extends Error {
  constructor(
    override readonly name: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<Result>(channel: InvokeChannel, ...args: unknown[]): Promise<Result> {
  const reply = (await ipcRenderer.invoke(channel, ...args)) as IpcReply;
  if (!reply.ok) throw new DesktopError(reply.error.name, reply.error.code, reply.error.message);
  return reply.value as Result;
}

function subscribe<Payload>(channel: string, listener: (payload: Payload) => void): () => void {
  // The page's listener never sees the IPC event (which would reach `ipcRenderer` through `sender`).
  const forward = (_event: IpcRendererEvent, payload: Payload) => listener(payload);
  ipcRenderer.on(channel, forward);
  return () => ipcRenderer.off(channel, forward);
}

const api: DesktopApi = {
  kind: 'desktop',
  engineEndpoint: () => call(invokeChannels.engineEndpoint),
  pickFolder: (options) => call(invokeChannels.pickFolder, options),
  saveFile: (options) => call(invokeChannels.saveFile, options),
  secrets: {
    available: () => call(invokeChannels.secretsAvailable),
    store: (name, value) => call(invokeChannels.secretsStore, name, value),
    read: (name) => call(invokeChannels.secretsRead, name),
    remove: (name) => call(invokeChannels.secretsRemove, name),
  },
  revealInFileManager: (path) => call(invokeChannels.revealInFileManager, path),
  appVersion: () => call(invokeChannels.appVersion),
  settings: {
    get: () => call(invokeChannels.settingsGet),
    set: (settings) => call(invokeChannels.settingsSet, settings),
  },
  onMenuCommand: (listener) => subscribe<MenuCommand>(eventChannels.menuCommand, listener),
  onServiceNotice: (listener) => subscribe<ServiceNotice>(eventChannels.serviceNotice, listener),
};

contextBridge.exposeInMainWorld('logscope', api);
