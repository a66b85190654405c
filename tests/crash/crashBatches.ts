/**
 * The batches the crash tests append: each one a pure function of (run, partition, sequence),
 * so the test can rebuild exactly what an acknowledged append wrote and compare bytes.
 */
import { encodeRecordBatch } from '../../broker/protocol/records/index';

export const TOPIC = 'crash';
export const PARTITIONS = 3;

export function crashBatch(run: number, partition: number, sequence: number): Buffer {
  const count = 1 + ((run * 7 + partition * 3 + sequence) % 9);
  return encodeRecordBatch({
    records: Array.from({ length: count }, (_, i) => ({
      key: `r${run}-p${partition}-s${sequence}-${i}`,
      value: Buffer.alloc(40 + ((sequence + i) % 200), (run + sequence + i) & 0xff),
      timestamp: 1_700_000_000_000 + run * 1_000_000 + sequence,
      headers: i === 0 ? [{ key: 'seq', value: String(sequence) }] : [],
    })),
  });
}

/** One line a child prints per acknowledged append. */
export interface Ack {
  run: number;
  partition: number;
  sequence: number;
  baseOffset: number;
}

export const formatAck = (ack: Ack): string =>
  `ACK ${ack.run} ${ack.partition} ${ack.sequence} ${ack.baseOffset}\n`;

export function parseAcks(output: string): Ack[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('ACK '))
    .map((line) => {
      const [run, partition, sequence, baseOffset] = line.slice(4).split(' ').map(Number);
      return { run: run!, partition: partition!, sequence: sequence!, baseOffset: baseOffset! };
    });
}
