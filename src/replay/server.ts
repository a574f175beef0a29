import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

/**
 * A local HTTP server on 127.0.0.1 that replays recorded responses from a
 * fixtures folder, for the offline demo and end-to-end tests: GET /a/b.xml
 * serves <root>/a/b.xml with the status and headers in a sidecar
 * b.xml.headers.json when present. It honours If-None-Match with an ETag
 * of the body, as real feed servers do, so conditional GET is exercised.
 */
export interface ReplayServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:40123 */
  url: string;
  /** Paths requested, in order, with the conditional headers sent. */
  requests: Array<{ path: string; ifNoneMatch: string | null; userAgent: string | null }>;
  close(): Promise<void>;
}

export type ReplayHandler = (req: IncomingMessage, res: ServerResponse) => void;

interface Sidecar {
  status?: number;
  headers?: Record<string, string>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.xml': 'application/xml; charset=utf-8',
  '.rss': 'application/rss+xml; charset=utf-8',
  '.atom': 'application/atom+xml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
};

export async function startReplayServer(root: string, handlers: Record<string, ReplayHandler> = {}): Promise<ReplayServer> {
  const requests: ReplayServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    requests.push({
      path,
      ifNoneMatch: (req.headers['if-none-match'] as string | undefined) ?? null,
      userAgent: (req.headers['user-agent'] as string | undefined) ?? null,
    });
    const handler = handlers[path];
    if (handler) return handler(req, res);
    serveFile(root, path, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function serveFile(root: string, path: string, req: IncomingMessage, res: ServerResponse): void {
  const file = normalize(join(root, path));
  if (!file.startsWith(normalize(root + sep)) || !existsSync(file) || !statSync(file).isFile() || file.endsWith('.headers.json')) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  const body = readFileSync(file);
  const sidecar: Sidecar = existsSync(`${file}.headers.json`)
    ? (JSON.parse(readFileSync(`${file}.headers.json`, 'utf8')) as Sidecar)
    : {};
  const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
  const headers: Record<string, string> = {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    etag,
    ...sidecar.headers,
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { etag }).end();
    return;
  }
  res.writeHead(sidecar.status ?? 200, headers).end(req.method === 'HEAD' ? undefined : body);
}
