/**
 * Issue 23, finding 1 (clickjacking), in Chromium against the demo: a page of another origin of the same site
 * (another loopback port, so the admin's SameSite=Lax cookie goes along) frames the bulk "log out on all sessions"
 * confirmation nearly transparent over a bait button. The panel's `frame-ancestors 'self'` makes Chromium refuse
 * the frame: the confirmation is never drawn, the admin's click on the bait ends nothing.
 */
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConsoleMessage } from 'playwright-core';
import { startBrowserDemo, type BrowserDemo } from '../support/browser.js';
import { count, rows } from '../support/sql.js';

describe('the panel cannot be framed by another origin (Chromium, issue 23)', function () {
  this.timeout(600_000);
  let b: BrowserDemo;
  let attacker: http.Server;
  let attackerUrl: string;

  before(async function () {
    b = await startBrowserDemo(this);
    const ids = (await rows<{ id: number }>(b.demo.sequelize, `SELECT id FROM "Users" WHERE email IN ('alice@example.com', 'bob@example.com')`)).map((r) => r.id);
    const target = `${b.baseUrl}/admin/resources/User/bulk/logoutUserOnAllSessions?recordIds=${ids.join(',')}`;
    // The bait: a button under a 5 % opaque, full-page frame of the confirmation.
    const bait = `<!doctype html><title>Win a prize</title>
      <button id="bait" style="position:absolute;top:0;left:0;width:100%;height:100%;font-size:40px">Click to win</button>
      <iframe id="panel" src="${target}" style="position:absolute;top:0;left:0;width:100%;height:100%;opacity:0.05;border:0"></iframe>`;
    attacker = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(bait));
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
  });
  after(async () => {
    attacker?.close();
    await b?.close();
  });

  const sessionsOf = (email: string) =>
    count(b.demo.sequelize, 'SELECT count(*) FROM "UserSessions" s JOIN "Users" u ON u.id = s."userId" WHERE u.email = $email', { bind: { email } });

  it('a page on another port frames the bulk confirmation: Chromium refuses it, and a click there ends nothing', async () => {
    const alice = await b.newPage();
    await b.siteLogin(alice, 'alice@example.com');
    const admin = await b.newPage({ alsoReach: [attackerUrl] });
    await b.adminLogin(admin, 'admin@example.com');
    // The panel itself draws the confirmation (the frame would, were it allowed).
    const refused = new Promise<string>((resolve) => {
      admin.on('console', (message: ConsoleMessage) => {
        if (/frame-ancestors/.test(message.text())) resolve(message.text());
      });
    });

    await admin.goto(attackerUrl);
    const panel = admin.frameLocator('#panel');
    // Whichever comes first: Chromium's refusal of the frame, or the confirmation drawn inside it.
    const outcome = await Promise.race([
      refused.then((text) => `refused: ${text}`),
      panel.getByTestId('single-session-confirm').waitFor({ state: 'attached' }).then(() => 'rendered'),
    ]);
    expect(outcome).to.match(/^refused: .*frame-ancestors 'self'/);
    expect(await panel.getByTestId('single-session-confirm').count()).to.equal(0);

    await admin.mouse.click(640, 400); // where the confirm button would be, over the bait
    await admin.waitForTimeout(1000);
    expect(await sessionsOf('alice@example.com')).to.equal(1);
    // The admin is still signed in: the frame was refused, not the session.
    expect(await sessionsOf('admin@example.com')).to.equal(1);
  });
});
