/**
 * CI's last check (.ci/run): no scratch database of any test run is left on the server named by DATABASE_URL.
 * Exits 1 and names them when there is one.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx test/support/leftovers.ts
 */
import { leftoverDatabases } from './database.js';

const left = await leftoverDatabases({ pid: undefined });
if (left.length) {
  console.error(`scratch databases left behind on ${new URL(process.env.DATABASE_URL!).host}: ${left.join(', ')}`);
  process.exit(1);
}
console.log(`no scratch database left on ${process.env.DATABASE_URL ? new URL(process.env.DATABASE_URL).host : '(embedded)'}`);
