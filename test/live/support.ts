/**
 * The live sign-out's tests: the demo on the test database (in this process, so that a test reaches its engine),
 * and a Server-Sent Events client that keeps everything it received.
 */
import http from 'node:http';
import { launchDemo, type LaunchOptions, type RunningDemo } from '../../example/setup.js';
import { connect, testDatabase } from '../support/database.js';
import { resetSchema } from '../support/fixture.js';
import { truncate } from '../support/sql.js';

/** The demo, freshly seeded, with the live sign-out's options given. */
export async function liveDemo(options: Omit<LaunchOptions, 'url'> = {}): Promise<RunningDemo & { base: string }> {
  const { url } = await testDatabase();
  const sequelize = connect(url, 1);
  await resetSchema(sequelize);
  await truncate(sequelize, ['Users']);
  await sequelize.close();
  const demo = await launchDemo({ url, live: true, ...options });
  return { ...demo, base: demo.baseUrl.replace('//localhost:', '//127.0.0.1:') };
}

export interface SseEvent { event: string; data: string }

export interface Stream {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Everything received, as sent. */
  text(): string;
  events(): SseEvent[];
  /** Resolves when the server closed the stream (or the socket went). */
  ended: Promise<void>;
  /** Resolves with the first `ended` event (rejects after `ms`). */
  nextEnded(ms: number): Promise<SseEvent>;
  close(): void;
}

/** Opens the stream at `url` with these headers; resolves once the response's headers arrived. */
export function openStream(url: string, headers: Record<string, string> = {}): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      let text = '';
      const waiters: Array<() => void> = [];
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        for (const w of waiters.splice(0)) w();
      });
      const ended = new Promise<void>((done) => {
        res.on('end', done);
        res.on('close', done);
      });
      const events = () => text.split('\n\n').filter((block) => /^event: /m.test(block)).map((block) => ({
        event: /^event: (.*)$/m.exec(block)![1]!,
        data: /^data: (.*)$/m.exec(block)?.[1] ?? '',
      }));
      resolve({
        status: res.statusCode!,
        headers: res.headers,
        text: () => text,
        events,
        ended,
        nextEnded(ms) {
          return new Promise((found, fail) => {
            const timer = setTimeout(() => fail(new Error(`no ended event within ${ms} ms; received: ${JSON.stringify(text)}`)), ms);
            const look = () => {
              const hit = events().find((e) => e.event === 'ended');
              if (hit) {
                clearTimeout(timer);
                return found(hit);
              }
              waiters.push(look);
            };
            look();
          });
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}

/** The `Cookie` header of a cookie-keeping test client. */
export const cookieHeader = (name: string, value: string | undefined): Record<string, string> => (value ? { cookie: `${name}=${value}` } : {});

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `fn` until it returns true (or fails after `ms`). */
export async function eventually(fn: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms: ${what}`);
    await sleep(25);
  }
}
