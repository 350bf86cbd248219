/**
 * The read-only WebSocket gateway: browsers subscribe DRFs, the gateway streams them from DPM
 * through the client's `streamEvents` (one DPM list per subscription) and serves the dashboard
 * page. No settings can go through it.
 *
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Subscription } from 'rxjs';
import { loadPageAssets } from './assets.js';
import type { PageAssets } from './bundle.js';
import { isLoopback, originAllowed } from './origin.js';
import { pageFile, pagesRoot } from './pages.js';
import { resolveGatewayServerOptions, type GatewayLimits, type GatewayServerOptions } from './options.js';
import { GatewaySession } from './session.js';
import type { SessionStats } from './stats.js';

/**
 * Counters of a running gateway.
 *
 * @example
 * ```ts
 * const s = gw.stats();
 * console.log(`${s.clients} browsers, ${s.lists} DPM lists, ${s.dropped} readings dropped`);
 * ```
 */
export interface GatewayStats {
  /** WebSocket connections open now. */
  readonly clients: number;
  /** Connections accepted since start. */
  readonly totalClients: number;
  /** Upgrades refused (bad path, origin, too many clients). */
  readonly refused: number;
  /** DPM lists (subscriptions) open now. */
  readonly lists: number;
  /** Readings forwarded to browsers, over the open connections. */
  readonly readings: number;
  /** Readings dropped by coalescing, over the open connections. */
  readonly dropped: number;
  /** Per connection. */
  readonly connections: readonly SessionStats[];
}

/**
 * A running gateway.
 *
 * @example
 * ```ts
 * const gw = await startGateway({ client });
 * console.log(`open ${gw.url}`);
 * await gw.close();
 * ```
 */
export interface GatewayHandle {
  /** The address it listens on. */
  readonly host: string;
  /** Its TCP port. */
  readonly port: number;
  /** The page: `http://host:port/`. */
  readonly url: string;
  /** The WebSocket: `ws://host:port/ws`. */
  readonly wsUrl: string;
  /** The limits in force. */
  readonly limits: GatewayLimits;
  /** Counters now: connections, DPM lists, readings, drops, per connection. */
  stats(): GatewayStats;
  /** Closes every WebSocket (`1001`), ends every DPM list, stops listening. */
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};
const PAGE_CSP =
  "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function refuseUpgrade(socket: Duplex, status: string, text: string): void {
  socket.on('error', () => undefined);
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`, () =>
    socket.destroy(),
  );
}

/**
 * Starts a gateway (see the module comment) and resolves once it listens. Options are validated
 * (`ConfigError`); with `page` (default) the dashboard's files are loaded first.
 *
 * @example
 * ```ts
 * import { dpm } from 'acsys-rx';
 * import { startGateway } from 'acsys-rx/web';
 *
 * const client = dpm({ host: 'localhost', port: 6802 });
 * const gw = await startGateway({ client, port: 8080 });
 * console.log(`dashboard at ${gw.url}`); // http://127.0.0.1:8080/
 * ```
 */
export async function startGateway(options: GatewayServerOptions): Promise<GatewayHandle> {
  const o = resolveGatewayServerOptions(options);
  const pages = o.pagesDir === undefined ? undefined : pagesRoot(o.pagesDir);
  const assets: PageAssets | undefined = o.page ? await loadPageAssets() : undefined;
  const log = o.log;
  const sessions = new Map<GatewaySession, Subscription>();
  const sockets = new Set<WebSocket>();
  let lists = 0;
  let totalClients = 0;
  let refused = 0;
  let closing = false;
  let closed: Promise<void> | undefined;
  const ledger = {
    acquire: () => (lists < o.limits.maxLists ? (lists++, true) : false),
    release: () => void lists--,
  };

  const stats = (): GatewayStats => {
    const connections = [...sessions.keys()].map((s) => s.stats());
    return {
      clients: sessions.size,
      totalClients,
      refused,
      lists,
      readings: connections.reduce((n, c) => n + c.readings, 0),
      dropped: connections.reduce((n, c) => n + c.outbox.dropped, 0),
      connections,
    };
  };

  const send = (req: IncomingMessage, res: ServerResponse, status: number, body: Buffer | string, headers: Record<string, string>): void => {
    res.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'content-length': String(Buffer.byteLength(body)) });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  const notFound = (req: IncomingMessage, res: ServerResponse): void => send(req, res, 404, 'not found\n', { 'content-type': 'text/plain; charset=utf-8' });

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(req, res, 405, 'read-only gateway: GET only\n', { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      return;
    }
    if (path === '/healthz') return send(req, res, 200, 'ok\n', { 'content-type': 'text/plain; charset=utf-8' });
    if (path === '/favicon.ico' && assets?.has('favicon.ico') !== true) {
      res.writeHead(204, SECURITY_HEADERS).end(); // no icon, and no error in the browser's console
      return;
    }
    if (path === '/stats') return send(req, res, 200, JSON.stringify(stats()), { 'content-type': 'application/json' });
    const asset = assets?.get(path === '/' ? 'index.html' : path.slice(1));
    if (asset !== undefined) {
      const extra: Record<string, string> = {};
      if (path === '/') extra['content-security-policy'] = PAGE_CSP;
      // the stand-alone client may be loaded by pages of other origins (still subject to the WebSocket's origin check)
      if (path === '/acsys-rx-browser.js') extra['access-control-allow-origin'] = '*';
      return send(req, res, 200, asset.body, { ...extra, 'content-type': asset.type });
    }
    if (pages === undefined) return notFound(req, res);
    pageFile(pages, path).then(
      (f) => (f === undefined ? notFound(req, res) : send(req, res, 200, f.body, { 'content-type': f.type })),
      () => notFound(req, res),
    );
  };

  // (dashboards keep their devices in the address: allow long ones)
  const server = createServer({ maxHeaderSize: 64 * 1024 }, onRequest);
  const wss = new WebSocketServer({ noServer: true, maxPayload: o.limits.maxMessageBytes, perMessageDeflate: false, clientTracking: false });
  const loopbackOnly = isLoopback(o.host);

  const accept = (ws: WebSocket, req: IncomingMessage): void => {
    totalClients++;
    sockets.add(ws);
    ws.once('close', () => sockets.delete(ws));
    const label = `#${totalClients} ${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    // `ws` reports bad frames from the peer (such as an oversized message) as 'error' events
    // and closes with the matching code itself; listen for the socket's whole life
    ws.on('error', (e: Error) => log?.(`${label} ${e.message}`));
    const session = new GatewaySession(ws, { client: o.client, limits: o.limits, reconnect: o.reconnect, heartbeatMs: o.heartbeatMs, pingMs: o.pingMs, lists: ledger, label, log });
    log?.(`${label} connected (origin ${req.headers.origin ?? 'none'})`);
    const done = (): void => {
      sessions.delete(session);
    };
    const failed = (e: unknown): void => {
      log?.(`${label} internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      sessions.delete(session);
      ws.close(1011, 'internal error');
    };
    sessions.set(session, session.run$.subscribe({ complete: done, error: failed }));
    ws.once('close', (code: number) => log?.(`${label} closed ${code}`));
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const refuse = (status: string, text: string): void => {
      refused++;
      log?.(`refused ${req.socket.remoteAddress ?? '?'}: ${text}`);
      refuseUpgrade(socket, status, text);
    };
    if (closing) return refuse('503 Service Unavailable', 'gateway shutting down');
    if (path !== '/ws') return refuse('404 Not Found', `no WebSocket at ${path}: use /ws`);
    const origin = req.headers.origin;
    if (!originAllowed(origin, req.headers.host, { allowed: o.origins, loopbackOnly })) return refuse('403 Forbidden', `origin ${String(origin)} not allowed`);
    if (sessions.size >= o.limits.maxClients) return refuse('503 Service Unavailable', `too many clients (limit ${o.limits.maxClients})`);
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (closing) ws.terminate();
      else accept(ws, req);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (e) => log?.(`server error: ${e.message}`));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : o.port;
  const base = `${hostForUrl(o.host)}:${port}`;

  return {
    host: o.host,
    port,
    url: `http://${base}/`,
    wsUrl: `ws://${base}/ws`,
    limits: o.limits,
    stats,
    close() {
      closed ??= (async () => {
        closing = true;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const sub of [...sessions.values()]) sub.unsubscribe(); // sends 1001, ends the DPM lists
        sessions.clear();
        server.closeIdleConnections();
        // WebSockets that do not answer the close frame within a second are cut
        const cut = setTimeout(() => {
          for (const ws of sockets) ws.terminate();
          server.closeAllConnections();
        }, 1000);
        await stopped;
        clearTimeout(cut);
        wss.close();
      })();
      return closed;
    },
  };
}
