/** Adapts a Node child process to what the supervisor needs. */
import { fork, type ChildProcess } from 'node:child_process';
import type { SupervisedProcess } from './supervisor';

/** Variables that would change how a child Node runs, never passed on. */
const UNSAFE_ENV = ['NODE_OPTIONS', 'ELECTRON_RUN_AS_NODE', 'NODE_INSPECT', 'NODE_DEBUG'];

export function cleanEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of UNSAFE_ENV) delete env[name];
  return { ...env, ...extra };
}

export function forkNode(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): SupervisedProcess {
  const child: ChildProcess = fork(script, args, {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: cleanEnvironment(env),
    execArgv: [],
  });
  let exited: { code: number | null; signal: string | null } | null = null;
  child.once('exit', (code, signal) => (exited = { code, signal }));
  return {
    stdout: child.stdout,
    stderr: child.stderr,
    kill: (signal) => {
      if (exited === null) child.kill(signal);
    },
    onExit: (listener) => {
      if (exited) listener(exited.code, exited.signal);
      else child.once('exit', listener);
    },
  };
}
