/**
 * Files between the browser and the engine, outside the JSON API: a finished export downloaded,
 * a JSON Lines file uploaded for import. Both are streamed (the engine never holds a file).
 *
 * Downloads use a ticket, not the bearer token: the browser fetches the file by navigating to
 * `/api/v1/downloads/<ticket>`, so its download manager streams it to disk whatever its size. A
 * navigation cannot carry an Authorization header, and a fetch with the header would have to
 * collect the whole file in the page's memory before saving it. Putting the token in that URL
 * would leave it in the browser history and in logs, so the URL carries a ticket instead: issued
 * (with the token) for one finished export, random, valid for one minute and for one download.
 * A URL seen later in a history or a log opens nothing.
 *
 * Uploads carry the bearer token like any API call; the body is the file's bytes as they are,
 * written to a temporary file under the engine's data dir, and refused beyond a size limit.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ApiError } from './apiError';

/** A request served outside the JSON router: matched on method and path below `/api/v1`. */
export interface RawRoute {
  method: 'GET' | 'POST';
  pattern: RegExp;
  /** false: the route checks its own credential (a download ticket), not the bearer token. */
  bearer: boolean;
  handle(request: IncomingMessage, response: ServerResponse, match: RegExpExecArray): Promise<void>;
}

export interface DownloadFile {
  path: string;
  /** The name the browser saves it under. */
  fileName: string;
  contentType: string;
}

const TICKET_TTL_MS = 60_000;

/** Makes a name safe for Content-Disposition: no path, no quotes or controls, not empty. */
export function safeFileName(name: string): string {
  const cleaned = basename(name)
    // Control characters are exactly what must not reach a header or a file name.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"\\/:*?<>|]+/g, '_')
    .replace(/^\.+/, '')
    .slice(0, 200);
  return cleaned === '' ? 'download' : cleaned;
}

function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export class DownloadTickets {
  private readonly tickets = new Map<string, { file: DownloadFile; expiresAt: number }>();

  constructor(private readonly ttlMs = TICKET_TTL_MS) {}

  issue(file: DownloadFile): { ticket: string; expiresAt: number } {
    const now = Date.now();
    for (const [ticket, entry] of this.tickets)
      if (entry.expiresAt <= now) this.tickets.delete(ticket);
    const ticket = randomBytes(24).toString('base64url');
    const expiresAt = now + this.ttlMs;
    this.tickets.set(ticket, {
      file: { ...file, fileName: safeFileName(file.fileName) },
      expiresAt,
    });
    return { ticket, expiresAt };
  }

  /** The file of a valid ticket, which is used up; an error saying what is wrong otherwise. */
  take(ticket: string): DownloadFile {
    const entry = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    if (!entry || entry.expiresAt <= Date.now())
      throw new ApiError(
        'NOT_FOUND',
        'This download link is unknown, used or expired (links work once, for a minute): ask for the download again.',
      );
    return entry.file;
  }

  /** GET /api/v1/downloads/{ticket}: streams the file with its name and type. */
  route(): RawRoute {
    return {
      method: 'GET',
      pattern: /^\/downloads\/([A-Za-z0-9_-]{1,64})$/,
      bearer: false,
      handle: async (_request, response, match) => {
        const file = this.take(match[1]!);
        const info = await stat(file.path).catch(() => null);
        if (!info?.isFile())
          throw new ApiError('NOT_FOUND', `The exported file ${file.path} is no longer there.`);
        response.writeHead(200, {
          'content-type': file.contentType,
          'content-length': info.size,
          'content-disposition': contentDisposition(file.fileName),
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        });
        await pipeline(createReadStream(file.path), response);
      },
    };
  }
}

/** Uploads beyond this are refused: bigger files are imported from a path on the engine's machine. */
export const UPLOAD_MAX_BYTES = 512 * 1024 * 1024;

export interface UploadOptions {
  /** Folder for uploaded files (created when needed). */
  dir: string;
  /** Default UPLOAD_MAX_BYTES. */
  maxBytes?: number;
}

/**
 * POST /api/v1/uploads?name=<file name>: the body (any type) is written to a new file in the
 * uploads folder; answers `{ path, fileName, bytes }` for an import to read.
 */
export function uploadRoute(options: UploadOptions): RawRoute {
  const maxBytes = options.maxBytes ?? UPLOAD_MAX_BYTES;
  return {
    method: 'POST',
    pattern: /^\/uploads$/,
    bearer: true,
    handle: async (request, response) => {
      const url = new URL(request.url ?? '/', 'http://engine');
      const fileName = safeFileName(url.searchParams.get('name') ?? 'upload.jsonl');
      const declared = Number(request.headers['content-length'] ?? NaN);
      const tooLarge = () =>
        new ApiError(
          'PAYLOAD_TOO_LARGE',
          `The file is over the upload limit of ${formatBytes(maxBytes)}; import a larger file from a path on the engine's machine.`,
        );
      if (declared > maxBytes) {
        request.resume();
        throw tooLarge();
      }
      await mkdir(options.dir, { recursive: true });
      const path = join(options.dir, `${Date.now()}-${randomBytes(6).toString('hex')}-${fileName}`);
      let bytes = 0;
      try {
        await pipeline(
          request,
          async function* (source: AsyncIterable<Buffer>) {
            for await (const chunk of source) {
              bytes += chunk.length;
              if (bytes > maxBytes) throw tooLarge();
              yield chunk;
            }
          },
          createWriteStream(path, { flags: 'wx' }),
        );
      } catch (error) {
        await rm(path, { force: true });
        throw error;
      }
      const json = JSON.stringify({ path, fileName, bytes });
      response.writeHead(201, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(json),
        'cache-control': 'no-store',
      });
      response.end(json);
    },
  };
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${Math.round(bytes / 1024 ** 2)} MiB`;
  return `${bytes} bytes`;
}

/** Exports for download and uploads for import are kept this long, then swept. */
export const TRANSFER_FILES_KEPT_MS = 24 * 60 * 60 * 1000;

/**
 * Removes the files of `dir` last written more than `ageMs` ago: exports made for a download
 * and uploads made for an import are the engine's own copies, and would otherwise pile up in
 * its data dir. A missing folder is nothing to sweep.
 */
export async function sweepOlderThan(dir: string, ageMs: number): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const before = Date.now() - ageMs;
  let removed = 0;
  for (const name of names) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (info?.isFile() && info.mtimeMs < before) {
      await rm(path, { force: true });
      removed++;
    }
  }
  return removed;
}
