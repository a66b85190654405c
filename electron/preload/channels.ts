/**
 * IPC channel names shared by the preload and the main process. This module imports nothing:
 * a sandboxed preload can load no npm package, so the argument schemas stay in main.
 */
export const invokeChannels = {
  engineEndpoint: 'logscope:engine-endpoint',
  pickFolder: 'logscope:pick-folder',
  saveFile: 'logscope:save-file',
  secretsAvailable: 'logscope:secrets-available',
  secretsStore: 'logscope:secrets-store',
  secretsRead: 'logscope:secrets-read',
  secretsRemove: 'logscope:secrets-remove',
  revealInFileManager: 'logscope:reveal-in-file-manager',
  appVersion: 'logscope:app-version',
  settingsGet: 'logscope:settings-get',
  settingsSet: 'logscope:settings-set',
} as const;

export type InvokeChannel = (typeof invokeChannels)[keyof typeof invokeChannels];

/** Main → page events. */
export const eventChannels = {
  menuCommand: 'logscope:menu-command',
  serviceNotice: 'logscope:service-notice',
} as const;

/** What an invoke handler sends back: errors travel as values with a name and a code. */
export type IpcReply =
  | { ok: true; value: unknown }
  | { ok: false; error: { name: string; code: string; message: string } };
