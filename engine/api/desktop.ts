/**
 * The desktop bridge: what the Electron preload offers the renderer as `window.logscope`, with
 * the schemas Electron's main process checks every IPC argument against. The renderer imports
 * only the types (`import type`); in a browser (`logscope serve`) `window.logscope` is absent.
 */
import { z } from 'zod';

/** An absolute path on any of the platforms the app runs on (POSIX, `C:\…`, `\\server\…`). */
export const AbsolutePath = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^(\/|[A-Za-z]:[\\/]|\\\\)/, 'an absolute path')
  .refine((path) => !path.includes('\0'), 'no NUL characters');
export type AbsolutePath = z.infer<typeof AbsolutePath>;

export const EngineEndpoint = z.object({
  /** The engine's loopback origin, e.g. `http://127.0.0.1:41234`. */
  url: z.string().regex(/^http:\/\/127\.0\.0\.1:\d{1,5}$/),
  token: z.string().min(16),
});
export type EngineEndpoint = z.infer<typeof EngineEndpoint>;

export const PickFolderOptions = z
  .object({
    title: z.string().max(200).optional(),
    defaultPath: AbsolutePath.optional(),
  })
  .strict();
export type PickFolderOptions = z.infer<typeof PickFolderOptions>;

export const FileFilter = z
  .object({
    name: z.string().min(1).max(100),
    extensions: z
      .array(z.string().regex(/^(\*|[A-Za-z0-9]{1,16})$/))
      .min(1)
      .max(20),
  })
  .strict();

export const SaveFileOptions = z
  .object({
    title: z.string().max(200).optional(),
    /** A file name, not a path: the user picks the folder. */
    defaultName: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[^/\\\0]+$/, 'a file name without folders'),
    filters: z.array(FileFilter).max(20).optional(),
  })
  .strict();
export type SaveFileOptions = z.infer<typeof SaveFileOptions>;

/** The name a secret is stored under, e.g. `cluster:prod-eu:sasl-password`. */
export const SecretName = z.string().regex(/^[A-Za-z0-9._:-]{1,200}$/);
export const SecretValue = z.string().max(64 * 1024);

const Port = z.number().int().min(0).max(65535);

/** Desktop-only settings; they take effect when the app restarts its processes. */
export const DesktopSettings = z
  .object({
    localBroker: z
      .object({
        /** Off: the app runs only the engine (external clusters and offline folders). */
        enabled: z.boolean(),
        /** Kafka listener port of the local broker; 9092 falls back to a free port if taken. */
        port: Port,
        /** Where the broker keeps its log; null = inside the app's data directory. */
        dataDir: AbsolutePath.nullable(),
      })
      .strict(),
  })
  .strict();
export type DesktopSettings = z.infer<typeof DesktopSettings>;

export const defaultDesktopSettings: DesktopSettings = {
  localBroker: { enabled: true, port: 9092, dataDir: null },
};

/** What a menu item asks the page to do. */
export const MenuCommand = z.discriminatedUnion('command', [
  z.object({ command: z.literal('new-connection') }),
  z.object({ command: z.literal('open-offline-folder'), path: AbsolutePath }),
  z.object({ command: z.literal('preferences') }),
]);
export type MenuCommand = z.infer<typeof MenuCommand>;

/** A supervised process crashed, was restarted, or was given up on. */
export const ServiceNotice = z.object({
  service: z.enum(['broker', 'engine']),
  kind: z.enum(['crashed', 'ready', 'failed']),
  message: z.string(),
  /** With `crashed`: when the restart happens. */
  restartInMs: z.number().optional(),
});
export type ServiceNotice = z.infer<typeof ServiceNotice>;

/** Errors cross the IPC boundary as values with a name and a code. */
export const DesktopErrorCode = z.enum(['FORBIDDEN', 'INVALID_ARGUMENT', 'UNAVAILABLE', 'FAILED']);
export type DesktopErrorCode = z.infer<typeof DesktopErrorCode>;

/** `window.logscope` in the desktop app. */
export interface DesktopApi {
  readonly kind: 'desktop';
  engineEndpoint(): Promise<EngineEndpoint>;
  /** A folder for offline inspection; null when the user cancels. */
  pickFolder(options?: PickFolderOptions): Promise<string | null>;
  /** Where to save an export; null when the user cancels. The engine writes the file. */
  saveFile(options: SaveFileOptions): Promise<string | null>;
  /** The OS credential store (Keychain, DPAPI, libsecret) through Electron's safeStorage. */
  secrets: {
    available(): Promise<boolean>;
    store(name: string, value: string): Promise<void>;
    read(name: string): Promise<string | null>;
    remove(name: string): Promise<void>;
  };
  revealInFileManager(path: string): Promise<void>;
  appVersion(): Promise<string>;
  settings: {
    get(): Promise<DesktopSettings>;
    /** Saves the settings and offers to restart the app's processes with them. */
    set(settings: DesktopSettings): Promise<void>;
  };
  /** Returns a function that removes the listener. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  onServiceNotice(listener: (notice: ServiceNotice) => void): () => void;
}
