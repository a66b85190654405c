/**
 * Adapts an Electron utility process to the launcher's `SupervisedProcess`, so the desktop app
 * supervises its children with the same `Supervisor` as `logscope serve`.
 *
 * Two differences need care: `UtilityProcess.kill()` takes no signal (it sends SIGTERM on POSIX
 * and terminates the process outright on Windows), and its `exit` event carries only a code.
 * So a polite stop is SIGTERM on POSIX and a `shutdown` message on Windows (where a signal
 * cannot be caught), and SIGKILL is sent through the pid. This module imports no Electron, so it
 * is tested with real Node children standing in for utility processes.
 */
import { Readable } from 'node:stream';
import type { SupervisedProcess } from '../../launcher/supervisor';

/** The part of Electron's `UtilityProcess` the adapter uses. */
export interface UtilityProcessLike {
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  kill(): boolean;
  postMessage(message: unknown): void;
  once(event: 'exit', listener: (code: number) => void): unknown;
}

/** Sent to a child on Windows instead of SIGTERM; children listen on `process.parentPort`. */
export const SHUTDOWN_MESSAGE = { type: 'logscope:shutdown' } as const;

export interface AdapterOptions {
  platform?: NodeJS.Platform;
  /** Sends a signal to a pid; `process.kill` unless a test replaces it. */
  killPid?: (pid: number, signal: NodeJS.Signals) => void;
}

function asReadable(stream: NodeJS.ReadableStream | null): Readable | null {
  if (stream === null) return null;
  return stream instanceof Readable ? stream : new Readable().wrap(stream);
}

export function adaptUtilityProcess(
  child: UtilityProcessLike,
  options: AdapterOptions = {},
): SupervisedProcess {
  const platform = options.platform ?? process.platform;
  const killPid = options.killPid ?? ((pid, signal) => process.kill(pid, signal));
  let exitCode: number | null | undefined;
  const listeners: ((code: number | null, signal: string | null) => void)[] = [];
  child.once('exit', (code) => {
    exitCode = code;
    for (const listener of listeners.splice(0)) listener(code, null);
  });

  return {
    stdout: asReadable(child.stdout),
    stderr: asReadable(child.stderr),
    kill(signal = 'SIGTERM') {
      if (exitCode !== undefined) return;
      if (signal === 'SIGKILL') {
        // On Windows kill() already terminates the process; elsewhere it would only be SIGTERM.
        if (platform !== 'win32' && child.pid !== undefined) {
          try {
            killPid(child.pid, 'SIGKILL');
          } catch {
            // Already gone: the exit event follows.
          }
        } else child.kill();
        return;
      }
      if (platform === 'win32') child.postMessage(SHUTDOWN_MESSAGE);
      else child.kill();
    },
    onExit(listener) {
      if (exitCode !== undefined) listener(exitCode, null);
      else listeners.push(listener);
    },
  };
}
