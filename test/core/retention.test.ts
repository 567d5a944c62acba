/**
 * What the purge keeps (issue 14, the soak): audit events only for `auditRetentionMs` (default 90 days; `false` keeps
 * every one), in batches; end-reason notes only for `endReasonTtlMs`. And the notes' table shape since the
 * migration 20261130000000: no unique key, so a reused sid can have two notes, and the newest is the one told.
 */
import { expect } from 'chai';
import { createSingleSession, SingleSessionConfigError, type SingleSession } from '../../src/index.js';
import { createFixture, type Fixture } from '../support/fixture.js';
import { sidOf } from '../support/http.js';
import { ago, now, rows, run } from '../support/sql.js';

const DAY = 24 * 3600_000;

describe('retention: the purge bounds the audit trail and the end-reason notes', function () {
  this.timeout(120_000);
  let f: Fixture;
  const engines: SingleSession[] = [];
  before(async () => { f = await createFixture({ audit: true, purgeIntervalMs: false }); });
  after(async () => {
    for (const engine of engines) engine.close();
    await f?.close();
  });

  const engine = async (options: Record<string, unknown>) => {
    const made = await createSingleSession({ sequelize: f.sequelize, purgeIntervalMs: false, audit: true, ...options });
    engines.push(made);
    return made;
  };
  /** The age of every audit event in whole days, by the database's clock, oldest first. */
  const auditAges = async () => (await rows<{ at: Date; now: Date }>(f.sequelize,
    `SELECT at, ${now(f.sequelize)} AS now FROM "SessionAuditEvents" ORDER BY at`,
  )).map((r) => Math.round((r.now.getTime() - r.at.getTime()) / DAY));
  /** Audit events `days` old, `n` of each. */
  async function oldAudit(days: number[], n = 1) {
    // The JSON is bound: test SQL keeps double quotes for identifiers only.
    const values = days.flatMap((d) => Array.from({ length: n }, () => `(${ago(f.sequelize, d * DAY)}, 'revoked', NULL, $userIds, 1)`));
    await run(f.sequelize, `INSERT INTO "SessionAuditEvents" (at, reason, "actorId", "userIds", "sessionCount") VALUES ${values.join(', ')}`,
      { bind: { userIds: JSON.stringify(['1']) } });
  }

  beforeEach(async () => { await run(f.sequelize, 'DELETE FROM "SessionAuditEvents"'); });

  it('deletes audit events older than 90 days by default and keeps the rest', async () => {
    await oldAudit([400, 91, 89, 10, 0]);
    await (await engine({})).purgeExpired();
    expect(await auditAges()).to.deep.equal([89, 10, 0]);
  });

  it('deletes them in batches, however many there are', async () => {
    await oldAudit([30], 12_000);
    await oldAudit([1], 3);
    await (await engine({ auditRetentionMs: 7 * DAY })).purgeExpired();
    expect(await auditAges()).to.deep.equal([1, 1, 1]);
  });

  it('keeps every audit event with auditRetentionMs: false', async () => {
    await oldAudit([4000, 91, 0]);
    await (await engine({ auditRetentionMs: false })).purgeExpired();
    expect(await auditAges()).to.deep.equal([4000, 91, 0]);
  });

  it('refuses a retention that is not a duration at start-up, saying what to write', async () => {
    for (const bad of [0, -1, 90, '90d', true, Number.POSITIVE_INFINITY]) {
      const err = await createSingleSession({ sequelize: f.sequelize, auditRetentionMs: bad as never }).catch((e: unknown) => e);
      expect(err, String(bad)).to.be.instanceOf(SingleSessionConfigError);
      expect((err as Error).message).to.match(/`auditRetentionMs` must be a number of milliseconds of at least 1000 \(one second\), or false .*90 \* 24 \* 3600_000 keeps 90 days/);
    }
  });

  it('forgets end-reason notes after endReasonTtlMs; a sid with two notes is told the newest', async () => {
    const purger = await engine({ endReasonTtlMs: 60_000 });
    const browser = f.browser();
    await browser.login('alice@example.com');
    const sid = sidOf(browser.cookie('sid'));
    // An older note of the same sid (a reused sid), then an administrator's ending writes its own.
    await run(f.sequelize, `INSERT INTO "EndedSessions" (sid, "userId", reason, "endedAt") VALUES ($sid, '4', 'replaced', ${ago(f.sequelize, 20_000)})`, { bind: { sid } });
    await f.singleSession.endUserSessions([await f.userId('alice@example.com')]);
    expect(await f.count('EndedSessions', `sid = '${sid}'`)).to.equal(2);
    expect((await browser.get('/me')).json).to.deep.include({ reason: 'revoked' });

    await run(f.sequelize, `INSERT INTO "EndedSessions" (sid, "userId", reason, "endedAt") VALUES ('old-note', '4', 'revoked', ${ago(f.sequelize, 120_000)})`);
    await purger.purgeExpired();
    expect(await f.count('EndedSessions', `sid = 'old-note'`)).to.equal(0);
    expect(await f.count('EndedSessions', `sid = '${sid}'`)).to.equal(2);
  });
});
