/**
 * Download tickets and uploads over a real HTTP server: an expired or used ticket opens
 * nothing, file names are made safe, and an upload over the limit is refused with the limit
 * named and leaves no file behind.
 */
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from './apiError';
import {
  DownloadTickets,
  safeFileName,
  sweepOlderThan,
  uploadRoute,
  type RawRoute,
} from './fileTransfer';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'logscope-file-transfer-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Serves one raw route under /api/v1, answering errors as the engine does (status + JSON). */
async function serve(route: RawRoute): Promise<string> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname.replace('/api/v1', '');
    const match = route.pattern.exec(path);
    if (!match) return void response.writeHead(404).end();
    route.handle(request, response, match).catch((error: unknown) => {
      const apiError = error instanceof ApiError ? error : new ApiError('INTERNAL', String(error));
      if (response.headersSent) return void response.destroy();
      response.writeHead(apiError.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: apiError.toDetail() }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
}

describe('download tickets', () => {
  it('streams a file once; an expired ticket opens nothing', async () => {
    const dir = await folder();
    const path = join(dir, 'export.jsonl');
    await writeFile(path, '{"a":1}\n');
    const tickets = new DownloadTickets();
    const base = await serve(tickets.route());
    const { ticket } = tickets.issue({
      path,
      fileName: 'exp ort.jsonl',
      contentType: 'text/plain',
    });
    const first = await fetch(`${base}/downloads/${ticket}`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-disposition')).toBe(
      `attachment; filename="exp ort.jsonl"; filename*=UTF-8''exp%20ort.jsonl`,
    );
    expect(await first.text()).toBe('{"a":1}\n');
    expect((await fetch(`${base}/downloads/${ticket}`)).status).toBe(404);

    const expiring = new DownloadTickets(0);
    const expiredBase = await serve(expiring.route());
    const expired = expiring.issue({ path, fileName: 'x.jsonl', contentType: 'text/plain' });
    const answer = await fetch(`${expiredBase}/downloads/${expired.ticket}`);
    expect(answer.status).toBe(404);
    expect(((await answer.json()) as { error: { message: string } }).error.message).toMatch(
      /expired/,
    );
  });

  it('makes file names safe for Content-Disposition', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('a"b\\c\r\n.jsonl')).toBe('a_b_c_.jsonl');
    expect(safeFileName('...')).toBe('download');
    expect(safeFileName('ünï ✓.jsonl')).toBe('ünï ✓.jsonl');
  });
});

describe('uploads', () => {
  it('writes the body to a file, and refuses one over the limit with the limit named', async () => {
    const dir = await folder();
    const base = await serve(uploadRoute({ dir, maxBytes: 1024 }));
    const ok = await fetch(`${base}/uploads?name=small.jsonl`, {
      method: 'POST',
      body: 'x'.repeat(1024),
    });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ fileName: 'small.jsonl', bytes: 1024 });

    const declared = await fetch(`${base}/uploads?name=big.jsonl`, {
      method: 'POST',
      body: 'x'.repeat(1025),
    });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { error: { message: string } }).error.message).toMatch(
      /over the upload limit of 1024 bytes/,
    );

    // Sent in chunks without a length: counted as it arrives.
    const chunked = await fetch(`${base}/uploads?name=big.jsonl`, {
      method: 'POST',
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 3; i++) controller.enqueue(new TextEncoder().encode('y'.repeat(600)));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await readdir(dir)).toEqual([expect.stringMatching(/small\.jsonl$/)]);
  });
});

describe('sweeping', () => {
  it('removes the files older than the age given, and nothing else', async () => {
    const dir = await folder();
    await writeFile(join(dir, 'old.jsonl'), 'x');
    await writeFile(join(dir, 'new.jsonl'), 'y');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    await utimes(join(dir, 'old.jsonl'), twoDaysAgo, twoDaysAgo);
    expect(await sweepOlderThan(dir, 24 * 60 * 60 * 1000)).toBe(1);
    expect(await readdir(dir)).toEqual(['new.jsonl']);
    expect(await sweepOlderThan(join(dir, 'missing'), 0)).toBe(0);
  });
});
