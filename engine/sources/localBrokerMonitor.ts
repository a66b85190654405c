/**
 * Watches the local broker by opening a TCP connection to its Kafka listener every interval.
 * The supervisor restarts a crashed broker; this is how the engine (and so the UI) sees it go
 * down and come back, without any channel to the supervisor.
 */
import { connect } from 'node:net';
import type { BrokerStatus } from '../api';

export class LocalBrokerMonitor {
  private status: BrokerStatus;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly listeners = new Set<(status: BrokerStatus) => void>();

  constructor(
    private readonly bootstrapServer: string | null,
    private readonly adminUrl: string | null,
    private readonly intervalMs = 1000,
  ) {
    this.status = {
      state: bootstrapServer ? 'starting' : 'disabled',
      bootstrapServer,
      adminUrl,
      since: Date.now(),
    };
  }

  start(): void {
    if (!this.bootstrapServer || this.timer) return;
    void this.probe();
    this.timer = setInterval(() => void this.probe(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  current(): BrokerStatus {
    return { ...this.status };
  }

  subscribe(listener: (status: BrokerStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async probe(): Promise<void> {
    const [host, port] = splitHostPort(this.bootstrapServer!);
    const error = await new Promise<string | null>((resolve) => {
      const socket = connect({ host, port });
      socket.setTimeout(this.intervalMs);
      socket.once('connect', () => {
        socket.destroy();
        resolve(null);
      });
      socket.once('timeout', () => {
        socket.destroy();
        resolve('the broker did not accept a connection in time');
      });
      socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    if (error === null) this.set('up');
    // Keep "starting" until the broker has been up once: refusals are expected while it boots.
    else if (this.status.state !== 'starting')
      this.set('down', `Cannot reach ${this.bootstrapServer}: ${error}`);
  }

  private set(state: BrokerStatus['state'], message?: string): void {
    if (this.status.state === state) return;
    this.status = {
      state,
      bootstrapServer: this.bootstrapServer,
      adminUrl: this.adminUrl,
      since: Date.now(),
    };
    if (message) this.status.message = message;
    for (const listener of this.listeners) listener(this.current());
  }
}

export function splitHostPort(address: string): [string, number] {
  const colon = address.lastIndexOf(':');
  return [address.slice(0, colon).replace(/^\[|\]$/g, ''), Number(address.slice(colon + 1))];
}
