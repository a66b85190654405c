/**
 * kafkajs decodes only gzip on its own; these adapters give it snappy, lz4 and zstd through
 * the project's own codecs (broker/protocol/records/compression: pure code, no I/O), so that
 * browsing a compressed topic works on any cluster and producing with them is possible too.
 */
import kafkajs from 'kafkajs';
import { compress, decompress, initCompression } from '../../broker/protocol/records/compression';

/** kafkajs hands `compress` its Encoder; only its bytes matter here. */
interface KafkajsEncoder {
  buffer: Buffer;
}

// kafkajs is CommonJS: Node's ESM loader cannot see all of its named exports.
const { CompressionCodecs, CompressionTypes } = kafkajs;

type CodecId = 2 | 3 | 4;

function adapter(codec: CodecId) {
  const instance = {
    async compress(encoder: KafkajsEncoder): Promise<Buffer> {
      return compress(codec as number, encoder.buffer);
    },
    async decompress(buffer: Buffer): Promise<Buffer> {
      return decompress(codec as number, buffer);
    },
  };
  return () => instance;
}

let registered: Promise<void> | null = null;

/** Registers the codecs with kafkajs once per process (zstd's WebAssembly loads first). */
export function registerKafkaCodecs(): Promise<void> {
  registered ??= initCompression().then(() => {
    CompressionCodecs[CompressionTypes.Snappy] = adapter(CompressionTypes.Snappy);
    CompressionCodecs[CompressionTypes.LZ4] = adapter(CompressionTypes.LZ4);
    CompressionCodecs[CompressionTypes.ZSTD] = adapter(CompressionTypes.ZSTD);
  });
  return registered;
}
