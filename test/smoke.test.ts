import { expect } from 'chai';
import { createFixture, type Fixture } from './support/fixture.js';

describe('smoke', () => {
  let f: Fixture;
  before(async () => { f = await createFixture(); });
  after(async () => f?.close());
  it('logs in and out', async () => {
    const a = f.browser();
    expect((await a.get('/me')).status).to.equal(401);
    const r = await a.login('alice@example.com');
    expect(r.status, r.text).to.equal(200);
    expect((await a.get('/me')).json.email).to.equal('alice@example.com');
    const b = f.browser();
    await b.login('alice@example.com');
    const me = await a.get('/me');
    expect(me.status).to.equal(401);
    expect(me.json.reason).to.equal('replaced');
    expect(await f.count('UserSessions')).to.equal(1);
  });
});
