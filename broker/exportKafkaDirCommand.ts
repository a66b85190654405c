/**
 * `logscope-broker export-kafka-dir --data-dir DIR --out DIR2`: writes a stopped broker's
 * topics as a Kafka log directory (broker/log/export). Exit 0 with a one-line summary; 2 for
 * bad arguments; 1 when the data directory cannot be opened (a running broker holds it…) or
 * the output cannot be written.
 */
import { parseArgs } from 'node:util';
import { exportKafkaDirFrom } from './log/export/kafkaDirExport';
import { clusterIdFor } from './server/localBroker';

export const EXPORT_USAGE = `Usage:
  logscope-broker export-kafka-dir --data-dir DIR --out DIR2 [--node-id N]

Writes the topics in DIR (a stopped broker's data directory) as a Kafka log directory in DIR2
(new or empty): <topic>-<partition>/ segments (.log as stored, .index, .timeindex),
partition.metadata, checkpoint files and meta.properties.
`;

export async function exportKafkaDirCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string' },
        out: { type: 'string' },
        'node-id': { type: 'string', default: '0' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`logscope-broker: ${(error as Error).message}\n\n${EXPORT_USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(EXPORT_USAGE);
    return 0;
  }
  const dataDir = values['data-dir'];
  const out = values.out;
  const nodeId = Number(values['node-id']);
  if (!dataDir || !out || !Number.isInteger(nodeId) || nodeId < 0) {
    process.stderr.write(
      `logscope-broker: export-kafka-dir needs --data-dir and --out (and --node-id ≥ 0)\n\n${EXPORT_USAGE}`,
    );
    return 2;
  }
  try {
    const summary = await exportKafkaDirFrom(dataDir, out, {
      clusterId: clusterIdFor(dataDir),
      nodeId,
    });
    process.stdout.write(
      `logscope-broker: exported ${summary.topics} topics, ${summary.partitions} partitions, ` +
        `${summary.segments} segments, ${summary.batches} batches (${summary.bytes} bytes) to ${out}\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`logscope-broker: ${(error as Error).message}\n`);
    return 1;
  }
}
