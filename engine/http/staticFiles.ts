/** Serves the built renderer (dist/renderer): files by path, index.html for app routes. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export async function serveStatic(
  root: string,
  urlPath: string,
  response: ServerResponse,
  csp: string,
): Promise<void> {
  const relative = normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, '');
  let file = join(root, relative);
  if (!file.startsWith(root + sep) && file !== root) file = join(root, 'index.html');
  let info = await stat(file).catch(() => null);
  // Deep links (`/c/local/t/orders`, `/c/local/t/e2e.orders`) are app routes: the app itself
  // resolves them. Topic and cluster names may hold dots, so a dot does not make a path a file;
  // only a missing asset or top-level file (`/assets/x.js`, `/favicon.ico`) is not found.
  if (!info?.isFile()) {
    const segments = relative.split(sep);
    if (segments[0] === 'assets' || (segments.length === 1 && extname(relative) !== '')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    file = join(root, 'index.html');
    info = await stat(file).catch(() => null);
    if (!info?.isFile()) {
      response
        .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
        .end('The Logscope UI is not built. Run `npm run build` and start again.');
      return;
    }
  }
  const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
  const headers: Record<string, string | number> = {
    'content-type': type,
    'content-length': info.size,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  if (type.startsWith('text/html')) {
    headers['content-security-policy'] = csp;
    headers['cache-control'] = 'no-store';
  } else if (file.includes(`${sep}assets${sep}`)) {
    headers['cache-control'] = 'public, max-age=31536000, immutable';
  }
  response.writeHead(200, headers);
  createReadStream(file).pipe(response);
}
