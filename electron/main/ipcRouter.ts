/**
 * The main process's IPC handlers, without Electron: every call names its sender, and is
 * answered only if the sender is one of Logscope's own windows showing the engine's page, and
 * only with arguments that pass the channel's schema. `ipc.ts` plugs this into `ipcMain`.
 */
import type { z } from 'zod';
import type { InvokeChannel, IpcReply } from '../preload/channels';

/** What the router needs to know about who sent a message. */
export interface IpcSender {
  /** `webContents.id` of the sender. */
  webContentsId: number;
  /** URL of the frame that sent it; undefined when the frame is gone. */
  frameUrl: string | undefined;
  /** Whether the sending frame is the page's main frame (not an iframe). */
  isMainFrame: boolean;
}

/** Which senders are ours: the windows we made, and the origin they must be showing. */
export interface TrustedSenders {
  webContentsIds(): Iterable<number>;
  /** The engine's origin (`http://127.0.0.1:PORT`), or null before it is known. */
  appOrigin(): string | null;
}

export class IpcError extends Error {
  override readonly name = 'IpcError';
  constructor(
    readonly code: 'FORBIDDEN' | 'INVALID_ARGUMENT' | 'UNAVAILABLE' | 'FAILED',
    message: string,
  ) {
    super(message);
  }
}

export function isTrustedSender(sender: IpcSender, trusted: TrustedSenders): boolean {
  if (!sender.isMainFrame || sender.frameUrl === undefined) return false;
  if (![...trusted.webContentsIds()].includes(sender.webContentsId)) return false;
  const origin = trusted.appOrigin();
  if (origin === null) return false;
  try {
    return new URL(sender.frameUrl).origin === origin;
  } catch {
    return false;
  }
}

type Handler<Args extends z.ZodType> = (args: z.output<Args>) => unknown;

interface Route {
  args: z.ZodType;
  handler: (args: unknown) => unknown;
}

export class IpcRouter {
  private readonly routes = new Map<InvokeChannel, Route>();

  constructor(
    private readonly trusted: TrustedSenders,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** Registers a channel; `args` is the schema of the call's argument list (a tuple). */
  handle<Args extends z.ZodType>(channel: InvokeChannel, args: Args, handler: Handler<Args>): this {
    this.routes.set(channel, { args, handler: handler as (args: unknown) => unknown });
    return this;
  }

  channels(): InvokeChannel[] {
    return [...this.routes.keys()];
  }

  /** Answers one call. Never throws: failures come back as `{ ok: false, error }`. */
  async dispatch(channel: string, sender: IpcSender, rawArgs: unknown[]): Promise<IpcReply> {
    try {
      const route = this.routes.get(channel as InvokeChannel);
      if (!route) throw new IpcError('INVALID_ARGUMENT', `no IPC channel "${channel}"`);
      if (!isTrustedSender(sender, this.trusted)) {
        this.log(`ipc: refused ${channel} from ${sender.frameUrl ?? 'a closed frame'}`);
        throw new IpcError('FORBIDDEN', 'this page may not use the desktop API');
      }
      const parsed = route.args.safeParse(rawArgs);
      if (!parsed.success) {
        const detail = parsed.error.issues
          .map((issue) => `${issue.path.join('.') || 'arguments'}: ${issue.message}`)
          .join('; ');
        throw new IpcError('INVALID_ARGUMENT', `${channel}: ${detail}`);
      }
      return { ok: true, value: await route.handler(parsed.data) };
    } catch (error) {
      if (error instanceof IpcError) {
        return { ok: false, error: { name: error.name, code: error.code, message: error.message } };
      }
      const message = error instanceof Error ? error.message : String(error);
      this.log(`ipc: ${channel} failed: ${message}`);
      return { ok: false, error: { name: 'IpcError', code: 'FAILED', message } };
    }
  }
}
