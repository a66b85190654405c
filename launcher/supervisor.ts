/**
 * Keeps one child process running: starts it, waits for the line that says it is ready,
 * restarts it with exponential backoff when it crashes, and stops it politely (SIGTERM, then
 * SIGKILL after a grace period). It knows nothing of what the child is: `logscope serve` gives
 * it Node child processes, the desktop app Electron utility processes.
 */
import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';

/** The little a supervisor needs of a process. */
export interface SupervisedProcess {
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  kill(signal?: NodeJS.Signals): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
}

export type SupervisorState = 'starting' | 'ready' | 'backoff' | 'stopping' | 'stopped' | 'failed';

export interface SupervisorOptions<Ready> {
  name: string;
  spawn: () => SupervisedProcess;
  /** Returns the ready information when a stdout line announces readiness, else undefined. */
  parseReady: (line: string) => Ready | undefined;
  /** How long a start may take before the child is killed and counted as a crash. */
  readyTimeoutMs?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A child that ran this long resets the backoff to its initial value. */
  stableAfterMs?: number;
  /** Gives up after this many consecutive crashes without reaching ready. */
  maxConsecutiveFailures?: number;
  stopGraceMs?: number;
}

export interface SupervisorEvents<Ready> {
  state: [state: SupervisorState, detail: string | undefined];
  ready: [ready: Ready, restarts: number];
  /** A crash, with how long until the restart. */
  crash: [description: string, restartInMs: number];
  /** A line the child wrote on stdout (other than the ready line) or stderr. */
  output: [line: string, stream: 'stdout' | 'stderr'];
}

export class Supervisor<Ready> extends EventEmitter<SupervisorEvents<Ready>> {
  private child: SupervisedProcess | null = null;
  private currentState: SupervisorState = 'stopped';
  private backoffMs: number;
  private restarts = 0;
  private consecutiveFailures = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly options: Required<SupervisorOptions<Ready>>;

  constructor(options: SupervisorOptions<Ready>) {
    super();
    this.options = {
      readyTimeoutMs: 30_000,
      initialBackoffMs: 250,
      maxBackoffMs: 10_000,
      stableAfterMs: 30_000,
      maxConsecutiveFailures: 10,
      stopGraceMs: 10_000,
      ...options,
    };
    this.backoffMs = this.options.initialBackoffMs;
  }

  get state(): SupervisorState {
    return this.currentState;
  }

  /** Starts the child and resolves when it is ready for the first time. */
  start(): Promise<Ready> {
    return new Promise((resolve, reject) => {
      const onReady = (ready: Ready) => {
        this.off('state', onState);
        resolve(ready);
      };
      const onState = (state: SupervisorState, detail: string | undefined) => {
        if (state === 'failed') {
          this.off('ready', onReady);
          this.off('state', onState);
          reject(new Error(`${this.options.name} failed to start: ${detail}`));
        }
      };
      this.once('ready', onReady);
      this.on('state', onState);
      this.launch();
    });
  }

  /** Stops the child (SIGTERM, SIGKILL after the grace period) and does not restart it. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const child = this.child;
    if (!child) {
      this.setState('stopped');
      return;
    }
    this.setState('stopping');
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), this.options.stopGraceMs);
      child.onExit(() => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  private launch(): void {
    this.setState('starting');
    const startedAt = Date.now();
    let ready = false;
    let lastStderr = '';
    const child = this.options.spawn();
    this.child = child;

    const readyTimer = setTimeout(() => {
      if (!ready) {
        lastStderr ||= `not ready after ${this.options.readyTimeoutMs} ms`;
        child.kill('SIGKILL');
      }
    }, this.options.readyTimeoutMs);

    if (child.stdout) {
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (!ready) {
          const info = this.options.parseReady(line);
          if (info !== undefined) {
            ready = true;
            clearTimeout(readyTimer);
            this.consecutiveFailures = 0;
            this.setState('ready');
            this.emit('ready', info, this.restarts);
            return;
          }
        }
        this.emit('output', line, 'stdout');
      });
    }
    if (child.stderr) {
      createInterface({ input: child.stderr }).on('line', (line) => {
        lastStderr = line;
        this.emit('output', line, 'stderr');
      });
    }

    child.onExit((code, signal) => {
      clearTimeout(readyTimer);
      this.child = null;
      if (this.currentState === 'stopping') {
        this.setState('stopped');
        return;
      }
      const ranMs = Date.now() - startedAt;
      if (ranMs >= this.options.stableAfterMs) this.backoffMs = this.options.initialBackoffMs;
      if (!ready) this.consecutiveFailures++;
      const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
      const description = `${this.options.name} ${how}${lastStderr ? `: ${lastStderr}` : ''}`;
      if (this.consecutiveFailures >= this.options.maxConsecutiveFailures) {
        this.setState('failed', description);
        return;
      }
      const wait = this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs);
      this.restarts++;
      this.emit('crash', description, wait);
      this.setState('backoff', description);
      this.timer = setTimeout(() => {
        this.timer = null;
        this.launch();
      }, wait);
    });
  }

  private setState(state: SupervisorState, detail?: string): void {
    this.currentState = state;
    this.emit('state', state, detail);
  }
}
