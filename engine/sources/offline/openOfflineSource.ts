/** Opens the right offline source for a path: Kafka files, or a Logscope data directory. */
import { initCompression } from '../../../broker/protocol/records';
import { detectOfflinePath } from './detectPath';
import { KafkaLogDirSource } from './kafkaLogDir';
import { LogscopeDataDirSource } from './logscopeDataDir';
import type { OfflineSource } from './offlineSource';

export async function openOfflineSource(path: string): Promise<OfflineSource> {
  // zstd and lz4 are WebAssembly modules loaded once; without them those batches would be
  // reported as damage.
  await initCompression();
  const detected = await detectOfflinePath(path);
  return detected.kind === 'logscope-data-dir'
    ? LogscopeDataDirSource.open(detected.path)
    : KafkaLogDirSource.open(detected);
}

/** Checks a path before an offline cluster is saved: what it is, and that no broker holds it. */
export async function checkOfflinePath(path: string): Promise<void> {
  const detected = await detectOfflinePath(path);
  if (detected.kind === 'logscope-data-dir')
    await LogscopeDataDirSource.checkNotHeld(detected.path);
}
