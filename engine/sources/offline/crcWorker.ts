/**
 * CRC-32C of record batches on a worker thread: a validating segment walk has the CRCs of one
 * chunk computed there while the main thread decodes the chunk before it (segmentWalk.ts), so
 * on two cores the CRC — the larger half of validating a segment — leaves the main thread.
 * Chunks live in SharedArrayBuffers (chunkReader.ts `shared`): nothing is copied.
 *
 * The worker runs the same native CRC-32C as batchCrc.ts. Without it there is no worker, and
 * a worker that fails takes no result with it: callers check those CRCs on the main thread.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Where a record batch's CRC-covered bytes start (attributes). */
const CRC_FROM = 21;

/**
 * The worker's code, as source text: it then loads the same way from the TypeScript sources
 * (tests), the engine's bundles and the benchmarks' bundles, with no file of its own to ship.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { crc32c } = require(workerData.crc32Path);
parentPort.on('message', ({ id, buffer, ranges }) => {
  const crcs = new Uint32Array(ranges.length / 2);
  for (let i = 0; i < crcs.length; i++) {
    const start = ranges[2 * i] + ${CRC_FROM};
    crcs[i] = crc32c(Buffer.from(buffer, start, ranges[2 * i + 1] - start)) >>> 0;
  }
  parentPort.postMessage({ id, crcs }, [crcs.buffer]);
});
`;

interface Job {
  resolve: (crcs: Uint32Array) => void;
  reject: (error: Error) => void;
}

let worker: Worker | null = null;
/** False once the worker could not be had (no native CRC-32C, or it failed): not tried again. */
let available = true;
const jobs = new Map<number, Job>();
let nextId = 0;

function start(): Worker | null {
  if (worker || !available) return worker;
  let crc32Path: string;
  try {
    crc32Path = createRequire(import.meta.url).resolve('@node-rs/crc32');
    createRequire(import.meta.url)(crc32Path); // its platform binary is there too
  } catch {
    available = false;
    return null;
  }
  const started = new Worker(WORKER_SOURCE, { eval: true, workerData: { crc32Path } });
  started.on('message', ({ id, crcs }: { id: number; crcs: Uint32Array }) => {
    const job = jobs.get(id);
    jobs.delete(id);
    job?.resolve(crcs);
    if (jobs.size === 0) started.unref();
  });
  const fail = (error: Error) => {
    available = false;
    worker = null;
    for (const job of jobs.values()) job.reject(error);
    jobs.clear();
  };
  started.on('error', fail);
  started.on('exit', (code) => fail(new Error(`the CRC worker exited with code ${code}`)));
  worker = started;
  return worker;
}

/** Whether batch CRCs can be computed on the worker thread (the native CRC-32C is installed). */
export function crcWorkerAvailable(): boolean {
  return start() !== null;
}

/**
 * The CRC-32C each batch should carry, for batches at `[ranges[2i], ranges[2i+1])` of a
 * chunk in `buffer` (a SharedArrayBuffer, left unchanged until this settles). Rejects when
 * the worker fails or is not available.
 */
export function batchCrcs(buffer: SharedArrayBuffer, ranges: Int32Array): Promise<Uint32Array> {
  const running = start();
  if (running === null) return Promise.reject(new Error('no CRC worker'));
  const id = nextId++;
  return new Promise<Uint32Array>((resolve, reject) => {
    jobs.set(id, { resolve, reject });
    // Referenced only while a job is out: an idle worker never keeps the process alive.
    running.ref();
    running.postMessage({ id, buffer, ranges });
  });
}
