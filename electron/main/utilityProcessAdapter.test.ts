/**
 * The utility-process adapter under the real `Supervisor`, with real Node children standing in
 * for Electron utility processes: like `UtilityProcess`, the stand-in's `kill()` takes no signal
 * (it sends SIGTERM) and its `exit` event carries only a code.
 */
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Supervisor } from '../../launcher/supervisor';
import {
  SHUTDOWN_MESSAGE,
  adaptUtilityProcess,
  type UtilityProcessLike,
} from './utilityProcessAdapter';

const dir = mkdtempSync(join(tmpdir(), 'logscope-utility-'));
function script(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

const polite = script(
  'polite.mjs',
  `process.on('SIGTERM', () => process.exit(0));
   process.on('message', (m) => { if (m.type === 'logscope:shutdown') { console.log('shutdown message'); process.exit(0); } });
   console.log('ready');
   setInterval(() => {}, 1000);`,
);
const stubborn = script(
  'stubborn.mjs',
  `process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
   console.log('ready');
   setInterval(() => {}, 1000);`,
);
const crashFirst = script(
  'crash-first.mjs',
  `import { existsSync, writeFileSync } from 'node:fs';
   const marker = process.argv[2];
   if (!existsSync(marker)) { writeFileSync(marker, ''); console.error('boom'); process.exit(3); }
   process.on('SIGTERM', () => process.exit(0));
   console.log('ready');
   setInterval(() => {}, 1000);`,
);

/** A Node child dressed as an Electron utility process, counting the calls the adapter makes. */
function utilityLike(path: string, args: string[] = []) {
  const child = fork(path, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: [] });
  const events = new EventEmitter();
  child.once('exit', (code) => events.emit('exit', code ?? 1));
  const calls = { kill: 0, messages: [] as unknown[] };
  const utility: UtilityProcessLike = {
    get pid() {
      return child.pid;
    },
    stdout: child.stdout,
    stderr: child.stderr,
    kill() {
      calls.kill++;
      return child.kill('SIGTERM');
    },
    postMessage(message) {
      calls.messages.push(message);
      child.send(message as object);
    },
    once(event, listener) {
      return events.once(event, listener);
    },
  };
  return { utility, calls, child };
}

const supervisors: Supervisor<unknown>[] = [];
afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((supervisor) => supervisor.stop()));
});

function supervise(spawn: () => ReturnType<typeof adaptUtilityProcess>, stopGraceMs = 10_000) {
  const supervisor = new Supervisor<string>({
    name: 'child',
    spawn,
    parseReady: (line) => (line === 'ready' ? line : undefined),
    initialBackoffMs: 10,
    stopGraceMs,
  });
  supervisors.push(supervisor as Supervisor<unknown>);
  return supervisor;
}

describe('adaptUtilityProcess', () => {
  it('stops a child with kill() (SIGTERM) and reports its exit', async () => {
    const spawned = utilityLike(polite);
    const supervisor = supervise(() => adaptUtilityProcess(spawned.utility, { platform: 'linux' }));
    await supervisor.start();
    await supervisor.stop();
    expect(supervisor.state).toBe('stopped');
    expect(spawned.calls.kill).toBe(1);
    expect(spawned.child.exitCode).toBe(0);
  });

  it('SIGKILLs a child that ignores SIGTERM through its pid', async () => {
    const spawned = utilityLike(stubborn);
    const signals: [number, NodeJS.Signals][] = [];
    const supervisor = supervise(
      () =>
        adaptUtilityProcess(spawned.utility, {
          platform: 'linux',
          killPid: (pid, signal) => {
            signals.push([pid, signal]);
            process.kill(pid, signal);
          },
        }),
      300,
    );
    await supervisor.start();
    await supervisor.stop();
    expect(spawned.calls.kill).toBe(1);
    expect(signals).toEqual([[spawned.child.pid, 'SIGKILL']]);
    expect(spawned.child.signalCode).toBe('SIGKILL');
  });

  it('lets the supervisor restart a child that crashed before it was ready', async () => {
    const marker = join(dir, `marker-${Date.now()}`);
    const spawns: ReturnType<typeof utilityLike>[] = [];
    const supervisor = supervise(() => {
      const spawned = utilityLike(crashFirst, [marker]);
      spawns.push(spawned);
      return adaptUtilityProcess(spawned.utility, { platform: 'linux' });
    });
    const crashes: string[] = [];
    supervisor.on('crash', (description) => crashes.push(description));
    await supervisor.start();
    expect(spawns).toHaveLength(2);
    expect(crashes).toEqual(['child exited with code 3: boom']);
    expect(supervisor.state).toBe('ready');
  });

  it('on Windows asks the child to shut down with a message instead of terminating it', async () => {
    const spawned = utilityLike(polite);
    const supervisor = supervise(() => adaptUtilityProcess(spawned.utility, { platform: 'win32' }));
    const lines: string[] = [];
    supervisor.on('output', (line) => lines.push(line));
    await supervisor.start();
    await supervisor.stop();
    expect(spawned.calls.messages).toEqual([SHUTDOWN_MESSAGE]);
    expect(spawned.calls.kill).toBe(0);
    expect(lines).toContain('shutdown message');
    expect(spawned.child.exitCode).toBe(0);
  });

  it('does nothing when killing a child that already exited, and reports the exit to late listeners', async () => {
    const spawned = utilityLike(crashFirst, [join(dir, `late-${Date.now()}`)]);
    const adapted = adaptUtilityProcess(spawned.utility, { platform: 'linux' });
    const code = await new Promise((resolve) => adapted.onExit((exitCode) => resolve(exitCode)));
    expect(code).toBe(3);
    adapted.kill('SIGTERM');
    adapted.kill('SIGKILL');
    expect(spawned.calls.kill).toBe(0);
    const late = await new Promise((resolve) =>
      adapted.onExit((exitCode, signal) => resolve([exitCode, signal])),
    );
    expect(late).toEqual([3, null]);
  });
});
