/**
 * Helpers for the session pages' tests: the demo admin (createAdminFixture, which mounts the Sessions resource,
 * the user's sessions panel, "My sessions" and, with `audit: true`, the audit resource) plus requests to them,
 * and AdminJS's own bundler run on a private folder.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type AdminJS from 'adminjs';
import type { AdminFixture } from './admin.js';
import type { Browser } from './http.js';
import { rows } from './sql.js';

export const SESSIONS_API = '/admin/api/resources/ActiveSessions';

export const sessionsApi = (f: AdminFixture) => ({
  bulk: (b: Browser, action: string, ids: ReadonlyArray<string | number>, method = 'POST') =>
    b.request(method, `${SESSIONS_API}/bulk/${action}?recordIds=${ids.join(',')}`),
  record: (b: Browser, action: string, id: string | number, method = 'POST') =>
    b.request(method, `${SESSIONS_API}/records/${id}/${action}`),
  list: (b: Browser, query = '') => b.get(`${SESSIONS_API}/actions/list?perPage=500${query}`),
  /** Public handles of a user's sessions, oldest first. */
  async handlesOf(email: string): Promise<string[]> {
    // A BIGINT: text on PostgreSQL, a number on MariaDB.
    const found = await rows<{ id: unknown }>(f.sequelize,
      'SELECT us.id FROM "UserSessions" us JOIN "Users" u ON u.id = us."userId" WHERE u.email = $email ORDER BY us.id', { bind: { email } });
    return found.map((r) => String(r.id));
  },
});

/** Bundles the admin's custom components with AdminJS's bundler; returns the bundle and the warnings. */
export async function bundleComponents(admin: AdminJS): Promise<{ bundle: string; warnings: string[] }> {
  const { AssetBundler, componentsBundler, generateUserComponentEntry } = await import('adminjs/bundler' as string);
  // A private folder: the default `.adminjs/` is shared and its cached bundle.js would be served as is.
  const dir = mkdtempSync(path.join(tmpdir(), 'single-session-bundle-'));
  try {
    const warnings: string[] = [];
    const bundler = new AssetBundler(
      { ...componentsBundler.inputOptions, input: path.join(dir, 'entry.js'), onwarn: (w: { message: string }) => warnings.push(w.message) },
      { ...componentsBundler.outputOptions, file: path.join(dir, 'bundle.js') },
    );
    await bundler.createEntry({ dir, content: generateUserComponentEntry(admin, dir) });
    await bundler.build();
    return { bundle: readFileSync(path.join(dir, 'bundle.js'), 'utf8'), warnings };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
