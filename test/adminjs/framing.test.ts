/**
 * Issue 23, finding 1 (clickjacking), over HTTP: every answer of the guarded AdminJS router says who may frame it —
 * the login page, the panel, its API and the bulk confirmation — with CSP `frame-ancestors 'self'` and
 * `X-Frame-Options: SAMEORIGIN` by default; `frameAncestors` lets a host that embeds the panel name its origin
 * (then no X-Frame-Options, which cannot name one), `["'none'"]` forbids every frame; a wrong list stops the start.
 * The browser half (Chromium refuses the frame) is test/browser/framing.browser.test.ts.
 */
import { expect } from 'chai';
import express from 'express';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardedAdminRouter } from '../../src/adminjs.js';
import { SingleSessionConfigError } from '../../src/index.js';
import { createAdminFixture, MAX_HEADER_SIZE, type AdminFixture } from '../support/admin.js';
import { SECRET } from '../support/fixture.js';
import { Browser } from '../support/http.js';

describe('framing headers on every panel answer (issue 23, finding 1)', function () {
  this.timeout(120_000);
  let f: AdminFixture;
  let admin: Browser;
  let alice: number;

  before(async () => {
    f = await createAdminFixture({ singleUserSession: false });
    admin = await f.adminLogin('admin@example.com');
    alice = await f.userId('alice@example.com');
  });
  after(async () => f?.close());

  const framing = (res: { headers: Headers }) => [res.headers.get('content-security-policy'), res.headers.get('x-frame-options')];
  const pages = () => [
    ['the login page', f.browser(), '/admin/login'],
    ['the panel', admin, '/admin'],
    ['the User list page', admin, '/admin/resources/User'],
    ['the bulk confirmation page', admin, `/admin/resources/User/bulk/logoutUserOnAllSessions?recordIds=${alice}`],
    ['the bulk confirmation (API)', admin, `/admin/api/resources/User/bulk/logoutUserOnAllSessions?recordIds=${alice}`],
    ['the list API', admin, '/admin/api/resources/User/actions/list'],
    ['a refused API request', admin, '/admin/api/resources/Nope/actions/list'],
    ['an anonymous API request (redirect)', f.browser(), '/admin/api/resources/User/actions/list'],
  ] as const;

  it('by default: frame-ancestors \'self\' and X-Frame-Options SAMEORIGIN on the login page, the panel, the API and the bulk confirmation', async () => {
    for (const [what, b, path] of pages()) {
      const res = await b.get(path);
      expect(res.status, `${what}: ${res.text.slice(0, 200)}`).to.be.below(500);
      expect(framing(res), what).to.deep.equal(["frame-ancestors 'self'", 'SAMEORIGIN']);
    }
    // The POST that ends sessions carries them too.
    const post = await f.bulk(admin, 'logoutUserOnAllSessions', [alice]);
    expect(post.status).to.equal(200);
    expect(framing(post)).to.deep.equal(["frame-ancestors 'self'", 'SAMEORIGIN']);
  });

  /** The fixture's AdminJS behind a guarded router built with `frameAncestors`, on its own server (`before`: the host's middleware). */
  async function withFrameAncestors(frameAncestors: string[] | undefined, run: (baseUrl: string) => Promise<void>, before?: express.RequestHandler) {
    const app = express();
    if (before) app.use(before);
    app.use(f.singleSession.sessionMiddleware({ secret: SECRET, name: 'sid' }));
    app.use('/admin', guardedAdminRouter({ admin: f.admin, singleSession: f.singleSession, router: f.adminRouter, ...(frameAncestors ? { frameAncestors } : {}) }));
    const server: Server = http.createServer({ maxHeaderSize: MAX_HEADER_SIZE }, app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it('a host that embeds the panel lists its origin: frame-ancestors \'self\' https://intranet.example, no X-Frame-Options', async () => {
    await withFrameAncestors(["'self'", 'https://intranet.example', 'https://*.corp.example:8443'], async (baseUrl) => {
      const res = await new Browser(baseUrl).get('/admin/login');
      expect(res.status).to.equal(200);
      expect(framing(res)).to.deep.equal(["frame-ancestors 'self' https://intranet.example https://*.corp.example:8443", null]);
    });
    await withFrameAncestors(["'none'"], async (baseUrl) => {
      expect(framing(await new Browser(baseUrl).get('/admin/login'))).to.deep.equal(["frame-ancestors 'none'", 'DENY']);
    });
  });

  it('a host\'s own Content-Security-Policy stays: the framing policy is added beside it', async () => {
    const hostPolicy: express.RequestHandler = (_req, res, next) => { res.set('Content-Security-Policy', "default-src 'self'"); next(); };
    await withFrameAncestors(undefined, async (baseUrl) => {
      const res = await new Browser(baseUrl).get('/admin/login');
      expect(res.headers.get('content-security-policy')).to.equal("default-src 'self', frame-ancestors 'self'");
    }, hostPolicy);
  });

  for (const bad of [[], '*', ['*'], ["'none'", "'self'"], ['intranet.example'], ['https://intranet.example/admin'], ["'self'; script-src *"],
    ['https://a.example https://b.example'], ["'unsafe-inline'"], [42]] as unknown[]) {
    it(`frameAncestors: ${JSON.stringify(bad)} stops the start with the fix`, () => {
      expect(() => guardedAdminRouter({ admin: f.admin, singleSession: f.singleSession, router: f.adminRouter, frameAncestors: bad as string[] }))
        .to.throw(SingleSessionConfigError, /`frameAncestors` lists who may show the panel in a frame.*https:\/\/intranet\.example/);
    });
  }
});
