import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forkNode } from './nodeProcess';
import { Supervisor, type SupervisorState } from './supervisor';

/** Writes a child script; `runs` counts its starts in a file so each start can act differently. */
async function childScript(body: string): Promise<{ script: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'supervisor-'));
  const script = join(dir, 'child.cjs');
  await writeFile(
    script,
    `const fs = require('fs'); const path = require('path');
     const counter = path.join(${JSON.stringify(dir)}, 'runs');
     const run = (fs.existsSync(counter) ? Number(fs.readFileSync(counter, 'utf8')) : 0) + 1;
     fs.writeFileSync(counter, String(run));
     ${body}`,
  );
  return { script, dir };
}

const readyLine = (line: string) => {
  const match = /^READY (\d+)$/.exec(line);
  return match ? Number(match[1]) : undefined;
};

function nextEvent<T extends unknown[]>(
  emitter: Supervisor<number>,
  name: 'ready' | 'crash',
): Promise<T> {
  return new Promise((resolve) => emitter.once(name, (...args: unknown[]) => resolve(args as T)));
}

describe('Supervisor (real Node child processes)', () => {
  it('restarts a child that crashes after it was ready, and reports the crash', async () => {
    const { script } = await childScript(`
      console.log('READY ' + run);
      if (run === 1) { console.error('boom: simulated crash'); setTimeout(() => process.exit(3), 10); }
      else setInterval(() => {}, 1000);`);
    const supervisor = new Supervisor({
      name: 'child',
      spawn: () => forkNode(script, []),
      parseReady: readyLine,
      initialBackoffMs: 10,
    });
    const crash = nextEvent<[string, number]>(supervisor, 'crash');
    expect(await supervisor.start()).toBe(1);
    const [description, restartIn] = await crash;
    expect(description).toBe('child exited with code 3: boom: simulated crash');
    expect(restartIn).toBe(10);
    const [again, restarts] = await nextEvent<[number, number]>(supervisor, 'ready');
    expect(again).toBe(2);
    expect(restarts).toBe(1);
    await supervisor.stop();
    expect(supervisor.state).toBe('stopped');
  });

  it('kills a child that hangs before ready and gives up after repeated failures', async () => {
    const { script } = await childScript(`setInterval(() => {}, 1000);`);
    const states: SupervisorState[] = [];
    const supervisor = new Supervisor({
      name: 'hanger',
      spawn: () => forkNode(script, []),
      parseReady: readyLine,
      readyTimeoutMs: 200,
      initialBackoffMs: 5,
      maxConsecutiveFailures: 2,
    });
    supervisor.on('state', (state) => states.push(state));
    await expect(supervisor.start()).rejects.toThrow(
      'hanger failed to start: hanger killed by SIGKILL: not ready after 200 ms',
    );
    expect(states).toEqual(['starting', 'backoff', 'starting', 'failed']);
  });

  it('stops a child that ignores SIGTERM with SIGKILL after the grace period', async () => {
    const { script } = await childScript(`
      process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
      console.log('READY ' + run); setInterval(() => {}, 1000);`);
    const supervisor = new Supervisor({
      name: 'stubborn',
      spawn: () => forkNode(script, []),
      parseReady: readyLine,
      stopGraceMs: 300,
    });
    const output: string[] = [];
    supervisor.on('output', (line) => output.push(line));
    const crashes: string[] = [];
    supervisor.on('crash', (description) => crashes.push(description));
    await supervisor.start();
    await supervisor.stop();
    expect(supervisor.state).toBe('stopped');
    expect(output).toContain('ignoring SIGTERM');
    expect(crashes).toEqual([]);
  });

  it('does not pass NODE_OPTIONS on to the child', async () => {
    const { script } = await childScript(
      `console.log('READY ' + (process.env.NODE_OPTIONS ? 1 : 0)); setInterval(() => {}, 1000);`,
    );
    process.env.NODE_OPTIONS = '--max-old-space-size=64';
    try {
      const supervisor = new Supervisor({
        name: 'env',
        spawn: () => forkNode(script, []),
        parseReady: readyLine,
      });
      expect(await supervisor.start()).toBe(0);
      await supervisor.stop();
    } finally {
      delete process.env.NODE_OPTIONS;
    }
  });
});
