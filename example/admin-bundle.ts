/**
 * Outside production AdminJS bundles the custom components on the first request and then serves the bundle it
 * finds in ADMIN_JS_TMP_DIR (default `.adminjs/`) for ever — also after the components changed, which shows an
 * old page or "Component … has not been bundled". The demo and the tests therefore bundle into a folder named
 * after the components' contents: a change gets a new folder, and concurrent processes share an up-to-date one.
 * It must run before `adminjs` is imported (AdminJS reads the variable once, at import).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function useContentAddressedAdminBundle(): string {
  if (process.env.ADMIN_JS_TMP_DIR) return process.env.ADMIN_JS_TMP_DIR;
  const hash = createHash('sha256');
  const sources = readdirSync(path.join(root, 'src', 'adminjs'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.tsx'))
    .sort();
  for (const file of sources) hash.update(file).update(readFileSync(path.join(root, 'src', 'adminjs', file)));
  hash.update(readFileSync(path.join(root, 'node_modules', 'adminjs', 'package.json')));
  const dir = path.join(root, '.adminjs', hash.digest('hex').slice(0, 16));
  process.env.ADMIN_JS_TMP_DIR = dir;
  return dir;
}
