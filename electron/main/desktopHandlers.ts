/**
 * Every IPC call the preload can make, with the schema its arguments must pass (from the
 * engine contract, engine/api/desktop.ts) and the effect it has. The effects are given by the
 * caller (`DesktopHost`): Electron's dialogs and shell in the app, fakes in the tests.
 */
import { z } from 'zod';
import {
  AbsolutePath,
  DesktopSettings,
  PickFolderOptions,
  SaveFileOptions,
  SecretName,
  SecretValue,
  type EngineEndpoint,
} from '../../engine/api/desktop';
import { invokeChannels } from '../preload/channels';
import { IpcError, IpcRouter, type TrustedSenders } from './ipcRouter';

export interface DesktopHost {
  engineEndpoint(): EngineEndpoint | null;
  pickFolder(options: PickFolderOptions): Promise<string | null>;
  saveFile(options: SaveFileOptions): Promise<string | null>;
  secrets: {
    available(): boolean;
    store(name: string, value: string): void;
    retrieve(name: string): string | null;
    remove(name: string): void;
  };
  revealInFileManager(path: string): void;
  appVersion(): string;
  readSettings(): DesktopSettings;
  writeSettings(settings: DesktopSettings): Promise<void>;
}

const none = z.tuple([]);

export function desktopHandlers(
  host: DesktopHost,
  trusted: TrustedSenders,
  log?: (line: string) => void,
): IpcRouter {
  return new IpcRouter(trusted, log)
    .handle(invokeChannels.engineEndpoint, none, () => {
      const endpoint = host.engineEndpoint();
      if (!endpoint) throw new IpcError('UNAVAILABLE', 'the engine is not running');
      return endpoint;
    })
    .handle(invokeChannels.pickFolder, z.tuple([PickFolderOptions.optional()]), ([options]) =>
      host.pickFolder(options ?? {}),
    )
    .handle(invokeChannels.saveFile, z.tuple([SaveFileOptions]), ([options]) =>
      host.saveFile(options),
    )
    .handle(invokeChannels.secretsAvailable, none, () => host.secrets.available())
    .handle(invokeChannels.secretsStore, z.tuple([SecretName, SecretValue]), ([name, value]) =>
      host.secrets.store(name, value),
    )
    .handle(invokeChannels.secretsRead, z.tuple([SecretName]), ([name]) =>
      host.secrets.retrieve(name),
    )
    .handle(invokeChannels.secretsRemove, z.tuple([SecretName]), ([name]) =>
      host.secrets.remove(name),
    )
    .handle(invokeChannels.revealInFileManager, z.tuple([AbsolutePath]), ([path]) =>
      host.revealInFileManager(path),
    )
    .handle(invokeChannels.appVersion, none, () => host.appVersion())
    .handle(invokeChannels.settingsGet, none, () => host.readSettings())
    .handle(invokeChannels.settingsSet, z.tuple([DesktopSettings]), ([settings]) =>
      host.writeSettings(settings),
    );
}
