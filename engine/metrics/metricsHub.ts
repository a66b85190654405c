/**
 * One poller per cluster, shared by every subscriber of the `metrics` stream and stopped when
 * the last one leaves; the poll interval is the finest any subscriber asked for.
 */
import type { MetricsSnapshot } from '../api/metrics';
import { MetricsPoller, type MetricsSource } from './metricsPoller';

interface Entry {
  poller: MetricsPoller;
  listeners: Map<number, { intervalMs: number; emit: (s: MetricsSnapshot) => void }>;
}

export class MetricsHub {
  private readonly entries = new Map<string, Entry>();
  private nextId = 1;

  constructor(private readonly sourceOf: (cluster: string) => MetricsSource) {}

  subscribe(
    cluster: string,
    intervalMs: number,
    emit: (snapshot: MetricsSnapshot) => void,
  ): () => void {
    let entry = this.entries.get(cluster);
    if (!entry) {
      const listeners: Entry['listeners'] = new Map();
      const poller = new MetricsPoller(cluster, this.sourceOf(cluster), intervalMs, (snapshot) => {
        for (const listener of listeners.values()) listener.emit(snapshot);
      });
      entry = { poller, listeners };
      this.entries.set(cluster, entry);
    }
    const id = this.nextId++;
    entry.listeners.set(id, { intervalMs, emit });
    entry.poller.setInterval(Math.min(...[...entry.listeners.values()].map((l) => l.intervalMs)));
    entry.poller.start();
    const current = entry;
    return () => {
      current.listeners.delete(id);
      if (current.listeners.size === 0) {
        current.poller.stop();
        this.entries.delete(cluster);
      } else {
        current.poller.setInterval(
          Math.min(...[...current.listeners.values()].map((l) => l.intervalMs)),
        );
      }
    };
  }

  stopAll(): void {
    for (const entry of this.entries.values()) entry.poller.stop();
    this.entries.clear();
  }
}
