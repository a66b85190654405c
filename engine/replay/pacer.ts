/**
 * When each message of a replay is due, relative to the start: never early, so a paced replay
 * reproduces (at least) the original gaps scaled by the factor, or the fixed rate.
 */
import type { ReplayPace } from '../api/replay';

export class Pacer {
  private firstTimestamp: number | null = null;
  private count = 0;

  constructor(private readonly pace: ReplayPace) {}

  /** Milliseconds after the start at which the next message (with this timestamp) is due. */
  due(timestamp: number): number {
    const index = this.count++;
    switch (this.pace.mode) {
      case 'max':
        return 0;
      case 'rate':
        return (index / this.pace.messagesPerSecond) * 1000;
      case 'original': {
        this.firstTimestamp ??= timestamp;
        return Math.max(0, (timestamp - this.firstTimestamp) / this.pace.factor);
      }
    }
  }
}
