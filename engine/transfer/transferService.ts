/**
 * Export and import jobs. An export streams a range of a topic (optionally filtered) to a file
 * as it reads it — nothing is held beyond one fetch — writing `<path>.part` and renaming it
 * when complete. An import reads a JSON Lines file twice: first to validate every line (and
 * fingerprint the file), then, only when confirmed with that fingerprint, to produce.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Job } from '../api';
import type { ExportInput, ExportResult, ImportInput, ImportResult } from '../api/transfer';
import type { SearchBound } from '../api/messages';
import { filterFrom } from '../browse/topicBrowser';
import type { LogReader } from '../browse/logReader';
import { PartitionScan, type RecordSizeEstimate } from '../browse/partitionScan';
import { resolveStart } from '../browse/pager';
import { ApiError } from '../http/apiError';
import type { JobManager } from '../jobs/jobManager';
import {
  keyPartitioner,
  type BatchProducer,
  type BatchProducerOptions,
} from '../sources/batchProducer';
import { kafkaError, type KafkaErrorContext } from '../sources/kafkaErrors';
import { csvHeader, parseJsonLine, toCsvRow } from './jsonLines';
import { JsonLinesWriter } from './jsonLinesWriter';
import { readAhead } from './readAhead';

export type RangeReader = LogReader & { sizes(topic: string): RecordSizeEstimate };

export interface ImportTarget {
  offsets: LogReader['offsets'];
  batchProducer(options: BatchProducerOptions): Promise<BatchProducer>;
  context(action?: string): KafkaErrorContext;
}

const MAX_PROBLEMS = 1000;

/** Start and (exclusive) end offsets per partition for a range given by bounds. */
export async function resolveRange(
  reader: LogReader,
  topic: string,
  from: SearchBound,
  to: SearchBound,
  partitions?: number[],
): Promise<{ start: Map<number, number>; end: Map<number, number> }> {
  if (partitions) {
    const known = new Set((await reader.offsets(topic)).map((p) => p.partition));
    const missing = partitions.find((p) => !known.has(p));
    if (missing !== undefined)
      throw new ApiError('BAD_REQUEST', `Topic "${topic}" has no partition ${missing}.`, {
        field: 'body.partitions',
      });
  }
  const resolve = async (bound: SearchBound) => {
    const query: Parameters<typeof resolveStart>[2] = { direction: 'forward' };
    if ('offset' in bound) query.offset = bound.offset;
    else if ('timestamp' in bound) query.timestamp = bound.timestamp;
    else query.position = bound.position;
    const positions = (await resolveStart(reader, topic, query)).positions;
    if (!partitions) return positions;
    const wanted = new Set(partitions);
    return new Map([...positions].filter(([p]) => wanted.has(p)));
  };
  const [start, end] = await Promise.all([resolve(from), resolve(to)]);
  for (const [p, offset] of start) if ((end.get(p) ?? 0) < offset) end.set(p, offset);
  return { start, end };
}

function write(stream: WriteStream, data: string | Buffer): Promise<void> | null {
  if (stream.write(data)) return null;
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    stream.once('error', onError);
    stream.once('drain', () => {
      stream.off('error', onError);
      resolve();
    });
  });
}

export class TransferService {
  constructor(
    private readonly readers: (cluster: string) => RangeReader,
    private readonly targets: (cluster: string) => ImportTarget,
    private readonly jobs: JobManager,
    /** Where exports without a path go, to be downloaded. */
    private readonly exportsDir: string = join(tmpdir(), 'logscope-exports'),
  ) {}

  /** The file of a finished export job, for a download. */
  async exportedFile(
    jobId: string,
  ): Promise<{ path: string; fileName: string; contentType: string; bytes: number }> {
    const job = this.jobs.get(jobId);
    if (job.kind !== 'export')
      throw new ApiError('BAD_REQUEST', `Job ${jobId} is a ${job.kind}, not an export.`);
    if (job.state !== 'succeeded')
      throw new ApiError(
        'CONFLICT',
        `Export job ${jobId} is ${job.state}: only a finished export can be downloaded.`,
      );
    const result = job.result as ExportResult;
    const info = await stat(result.path).catch(() => null);
    if (!info?.isFile())
      throw new ApiError('NOT_FOUND', `The exported file ${result.path} is no longer there.`);
    return {
      path: result.path,
      fileName: basename(result.path),
      bytes: info.size,
      contentType:
        result.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
    };
  }

  async startExport(cluster: string, topic: string, exportInput: ExportInput): Promise<Job> {
    const filter = filterFrom(exportInput.filter, 'body.filter', topic);
    const reader = this.readers(cluster);
    let path = exportInput.path;
    if (path === undefined) {
      // For download: a fresh name in the engine's exports folder (a topic name is a safe file name).
      await mkdir(this.exportsDir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      path = join(this.exportsDir, `${topic}-${stamp}.${exportInput.format}`);
    }
    const input = { ...exportInput, path };
    await checkWritable(input.path, input.overwrite);
    const range = await resolveRange(reader, topic, input.from, input.to, input.partitions);
    const total = [...range.start].reduce(
      (sum, [p, offset]) => sum + Math.max(0, range.end.get(p)! - offset),
      0,
    );
    return this.jobs.start({
      kind: 'export',
      title: `Export ${topic} to ${input.path}`,
      unit: 'messages',
      total,
      pausable: true,
      run: async (context) => {
        const part = `${input.path}.part`;
        const out = createWriteStream(part, { flags: 'w' });
        const opened = new Promise<void>((resolve, reject) =>
          out.once('open', () => resolve()).once('error', reject),
        );
        let scanned = 0;
        let messages = 0;
        let pending = '';
        const lines = input.format === 'csv' ? null : new JsonLinesWriter();
        try {
          await opened;
          if (input.format === 'csv') await write(out, `${csvHeader(input.fields)}\r\n`);
          const scan = new PartitionScan({
            topic,
            reader: readAhead(reader, topic, range.end),
            direction: 'forward',
            start: range.start,
            end: range.end,
            floor: range.start,
            sizes: reader.sizes(topic),
            signal: context.signal,
          });
          scan.wanted = 5000;
          for (;;) {
            const record = await scan.next();
            if (record === null) break;
            scanned++;
            if (!filter || filter.matches(record)) {
              messages++;
              if (lines) {
                lines.add(record);
                if (lines.full) {
                  const waiting = write(out, lines.take());
                  if (waiting) await waiting;
                }
              } else {
                // CSV lines go out in chunks of about 64 KiB: one write per line costs more
                // than the encoding.
                pending += `${toCsvRow(record, input.fields)}\r\n`;
                if (pending.length >= 64 * 1024) {
                  const waiting = write(out, pending);
                  pending = '';
                  if (waiting) await waiting;
                }
              }
            }
            if (scanned % 2000 === 0) {
              context.progress(scanned, { message: `${messages} written` });
              await context.checkpoint();
              await new Promise((resolve) => setImmediate(resolve));
            }
          }
          if (pending !== '') await write(out, pending);
          if (lines) await write(out, lines.take());
          await new Promise<void>((resolve, reject) =>
            out.end((error?: Error | null) => (error ? reject(error) : resolve())),
          );
          context.signal.throwIfAborted();
          await rename(part, input.path);
        } catch (error) {
          out.destroy();
          await rm(part, { force: true });
          throw error;
        }
        context.progress(scanned, { total: scanned, message: `${messages} written` });
        const result: ExportResult = {
          path: input.path,
          format: input.format,
          messages,
          scanned,
          bytes: (await stat(input.path)).size,
        };
        return result;
      },
    });
  }

  async startImport(cluster: string, topic: string, input: ImportInput): Promise<Job> {
    const target = this.targets(cluster);
    const partitions = (await target.offsets(topic)).length;
    const size = await fileSize(input.path);
    return this.jobs.start({
      kind: input.confirm ? 'import' : 'import-validation',
      title: `${input.confirm ? 'Import' : 'Validate'} ${input.path} ${input.confirm ? 'into' : 'for'} ${topic}`,
      unit: 'bytes',
      total: input.confirm ? size * 2 : size,
      pausable: input.confirm !== undefined,
      run: async (context) => {
        // Pass 1: validate every line and fingerprint the file; nothing is produced.
        const validation = await this.validate(input.path, partitions, (bytes) =>
          context.progress(bytes),
        );
        const result: ImportResult = { ...validation, imported: 0, validatedOnly: !input.confirm };
        if (!input.confirm) return result;
        if (input.confirm.fingerprint !== validation.fingerprint)
          throw new ApiError(
            'CONFLICT',
            'The file changed since it was validated (its fingerprint differs): validate it again.',
            { field: 'body.confirm.fingerprint' },
          );
        if (validation.invalid > 0 && !input.skipInvalid)
          throw new ApiError(
            'VALIDATION_FAILED',
            `${validation.invalid} line(s) are invalid (first: line ${validation.problems[0]?.line}: ${validation.problems[0]?.problem}); nothing was imported. Fix them, or confirm with skipInvalid.`,
          );
        // Pass 2: produce, in file order, through an idempotent batch producer (a retry never
        // duplicates; each partition keeps the file's order).
        const producer = await target.batchProducer({
          topic,
          onAcknowledged: (records) => (result.imported += records),
        });
        const byKey = keyPartitioner(topic, partitions);
        try {
          await eachLine(input.path, async (line, _number, bytes) => {
            context.signal.throwIfAborted();
            const parsed = parseJsonLine(line, partitions);
            if (!parsed.ok) return;
            const record = parsed.record;
            const partition =
              input.partitioning === 'keep' && record.partition !== null
                ? record.partition
                : byKey(record.key);
            const waiting = producer.add(partition, {
              key: record.key,
              value: record.value,
              headers: record.headers,
              // Without the line's time, the time of import.
              timestamp:
                input.keepTimestamps && record.timestamp !== null ? record.timestamp : Date.now(),
            });
            if (waiting) {
              await waiting;
              context.progress(size + bytes, { message: `${result.imported} imported` });
              await context.checkpoint();
            }
          });
          await producer.flush();
        } catch (error) {
          throw kafkaError(error, target.context(`produce to topic "${topic}"`));
        } finally {
          await producer.close();
        }
        context.progress(size * 2, { message: `${result.imported} imported` });
        return result;
      },
    });
  }

  private async validate(
    path: string,
    partitions: number,
    progress: (bytes: number) => void,
  ): Promise<Omit<ImportResult, 'imported' | 'validatedOnly'>> {
    const hash = createHash('sha256');
    let lines = 0;
    let invalid = 0;
    const problems: { line: number; problem: string }[] = [];
    const size = await eachLine(
      path,
      async (line, number, bytes) => {
        lines++;
        const parsed = parseJsonLine(line, partitions);
        if (!parsed.ok) {
          invalid++;
          if (problems.length < MAX_PROBLEMS)
            problems.push({ line: number, problem: parsed.problem });
        }
        if (lines % 5000 === 0) {
          progress(bytes);
          await new Promise((resolve) => setImmediate(resolve));
        }
      },
      (chunk) => hash.update(chunk),
    );
    return {
      path,
      fingerprint: `sha256:${hash.digest('hex')}:${size}`,
      lines,
      valid: lines - invalid,
      invalid,
      problems,
    };
  }
}

/**
 * Calls `each` for every non-blank line (1-based line numbers, bytes read so far), awaiting
 * it before reading on (the file is read with backpressure: a chunk at a time); `chunks` sees
 * the raw bytes. Returns the file's size.
 */
async function eachLine(
  path: string,
  each: (line: string, number: number, bytes: number) => Promise<void>,
  chunks?: (chunk: Buffer) => void,
): Promise<number> {
  let bytes = 0;
  let number = 0;
  let rest: Buffer = Buffer.alloc(0);
  const emit = async (raw: Buffer) => {
    number++;
    let line = raw.toString('utf8');
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() !== '') await each(line, number, bytes);
  };
  try {
    for await (const chunk of createReadStream(path)) {
      const data = chunk as Buffer;
      bytes += data.length;
      chunks?.(data);
      let buffer = rest.length > 0 ? Buffer.concat([rest, data]) : data;
      for (let newline = buffer.indexOf(10); newline >= 0; newline = buffer.indexOf(10)) {
        await emit(buffer.subarray(0, newline));
        buffer = buffer.subarray(newline + 1);
      }
      rest = Buffer.from(buffer);
    }
    if (rest.length > 0) await emit(rest);
  } catch (error) {
    throw fileError(error, path);
  }
  return bytes;
}

function fileError(error: unknown, path: string): ApiError {
  if (error instanceof ApiError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new ApiError('NOT_FOUND', `File ${path} was not found.`);
  if (code === 'EACCES') return new ApiError('FORBIDDEN', `File ${path} cannot be read.`);
  if (code === 'EISDIR') return new ApiError('BAD_REQUEST', `${path} is a folder, not a file.`);
  return new ApiError('INTERNAL', `Reading ${path} failed: ${(error as Error).message}`);
}

async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new ApiError('BAD_REQUEST', `${path} is not a file.`);
    return info.size;
  } catch (error) {
    throw fileError(error, path);
  }
}

async function checkWritable(path: string, overwrite: boolean): Promise<void> {
  try {
    const folder = await stat(dirname(path));
    if (!folder.isDirectory())
      throw new ApiError('BAD_REQUEST', `${dirname(path)} is not a folder.`, {
        field: 'body.path',
      });
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError('BAD_REQUEST', `Folder ${dirname(path)} does not exist.`, {
      field: 'body.path',
    });
  }
  const existing = await stat(path).catch(() => null);
  if (existing && !overwrite)
    throw new ApiError('CONFLICT', `${path} exists; pass overwrite to replace it.`, {
      field: 'body.path',
    });
}
