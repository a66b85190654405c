/**
 * Starting the built programs as real processes for cross-process tests, and waiting for the
 * lines they print when ready — never a fixed sleep.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export function builtFile(relative: string): string {
  const path = join(repoRoot, 'dist', relative);
  if (!existsSync(path))
    throw new Error(`${path} is missing: run \`npm run build\` before the cross-process tests.`);
  return path;
}

export async function temporaryDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `logscope-${prefix}-`));
}

export interface RunningProcess {
  child: ChildProcess;
  /** Everything written to stderr so far, for failure messages. */
  stderr(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Spawns `node script args…` and resolves once a stdout line matches `ready`, with the match.
 * Rejects with the process's stderr if it exits first.
 */
export function startNodeProcess(
  script: string,
  args: string[],
  ready: RegExp,
  env: Record<string, string> = {},
): Promise<{ process: RunningProcess; match: RegExpMatchArray }> {
  const child = spawn(process.execPath, [script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const running: RunningProcess = {
    child,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = ready.exec(line);
      if (match) resolve({ process: running, match });
    });
    void exited.then((code) =>
      reject(new Error(`${script} exited with ${code} before it was ready:\n${stderr}`)),
    );
  });
}

export interface ServedApp {
  /** `http://127.0.0.1:PORT/` */
  baseUrl: string;
  /** The URL printed by `logscope serve`, with `#token=`. */
  url: string;
  token: string;
  dataDir: string;
  process: RunningProcess;
}

/** Runs `logscope serve` exactly as a user would, on a fresh data directory. */
export async function startServe(extraArgs: string[] = []): Promise<ServedApp> {
  const dataDir = await temporaryDir('serve');
  const { process: running, match } = await startNodeProcess(
    join(repoRoot, 'bin', 'logscope.js'),
    [
      'serve',
      '--no-open',
      '--port',
      '0',
      '--broker-port',
      '0',
      '--data-dir',
      dataDir,
      ...extraArgs,
    ],
    /^Logscope is running at (http:\/\/127\.0\.0\.1:\d+\/)#token=([0-9a-f]{64})$/,
  );
  return {
    baseUrl: match[1]!,
    url: match[0].slice('Logscope is running at '.length),
    token: match[2]!,
    dataDir,
    process: running,
  };
}
