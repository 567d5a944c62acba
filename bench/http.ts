/** A keep-alive HTTP client with a cookie jar, and a server helper that listens on a free port. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';

export interface Served {
  url: string;
  close(): Promise<void>;
}

/** Serves `app` on 127.0.0.1, port 0. Accepts long URLs (a bulk action names 10,000 ids in its query string). */
export async function serve(app: express.Express): Promise<Served> {
  const server = http.createServer({ maxHeaderSize: 1024 * 1024 }, app);
  // The client keeps its sockets open between phases: a server that closed an idle one after Node's 5 s default
  // raced the client's next request on it (ECONNRESET, "socket hang up") once a phase ran longer than that.
  server.keepAliveTimeout = 10 * 60_000;
  server.headersTimeout = server.keepAliveTimeout + 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    }),
  };
}

export interface Response {
  status: number;
  text: string;
  setCookies: string[];
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

export function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...options.headers };
    if (options.body !== undefined) headers['content-length'] = Buffer.byteLength(options.body);
    const req = http.request(url, { method: options.method ?? 'GET', headers, agent, maxHeaderSize: 1024 * 1024 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const setCookie = res.headers['set-cookie'] ?? [];
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), setCookies: setCookie });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** One "browser": keeps the cookies it is given. */
export class Client {
  private readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async send(method: string, path: string, body?: { form?: Record<string, string>; json?: unknown }): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.cookies.size) headers.cookie = this.cookieHeader;
    let payload: string | undefined;
    if (body?.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(body.form).toString();
    } else if (body?.json !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    }
    const res = await request(this.baseUrl + path, { method, headers, body: payload });
    for (const line of res.setCookies) {
      const pair = line.split(';')[0]!;
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return res;
  }
}

/** Throws unless the response has the expected status: a bench that silently measures errors measures nothing. */
export function expectStatus(res: Response, status: number, what: string): Response {
  if (res.status !== status) throw new Error(`${what}: expected HTTP ${status}, got ${res.status}: ${res.text.slice(0, 300)}`);
  return res;
}

/** An AdminJS API answer: HTTP 200, JSON, and no error notice (AdminJS answers a refusal with 200 and a notice). */
export function expectAdminJson<T>(res: Response, what: string): T {
  expectStatus(res, 200, what);
  const body = JSON.parse(res.text) as T & { notice?: { type?: string; message?: string } };
  if (body.notice?.type === 'error') throw new Error(`${what}: AdminJS answered an error notice: ${JSON.stringify(body.notice)}`);
  return body;
}
