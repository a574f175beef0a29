import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { afterEach } from 'vitest';

export interface TestServer {
  url: string;
  hits: Map<string, number>;
}

/** A local server on 127.0.0.1 whose routes a test writes; closed after each test. */
export function useTestServer(): (routes: Record<string, (req: IncomingMessage, res: ServerResponse, hit: number) => void>) => Promise<TestServer> {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(
      servers.splice(0).map(
        (s) =>
          new Promise<void>((resolve) => {
            s.closeAllConnections();
            s.close(() => resolve());
          }),
      ),
    );
  });
  return async (routes) => {
    const hits = new Map<string, number>();
    const server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const hit = (hits.get(path) ?? 0) + 1;
      hits.set(path, hit);
      const route = routes[path];
      if (route) route(req, res, hit);
      else res.writeHead(404).end();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address() as { port: number };
    return { url: `http://127.0.0.1:${address.port}`, hits };
  };
}
