/**
 * The manifest and the tarball: what is shipped, what the shipped code loads, what npm installs with it, and that
 * CommonJS apps can `require()` both entries (Node ≥ 20.19 loads ES modules from require()).
 */
import { expect } from 'chai';
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { installExampleApp, installWithTarball, packPackage, PACKAGE_NAME, root, run, scratchDir, since, type PackedPackage } from './support.js';

const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

/** What the tarball may hold: the built code, the migrations (and their shared checks), the command, the docs (the README's guides: docs/*.md, not docs/api). */
const SHIPPED = [
  /^package\.json$/, /^(README|CHANGELOG|LICENSE)(\.md)?$/, /^docs\/[^/]+\.md$/, /^dist\/src\/.+\.(js|d\.ts|js\.map)$/, /^migrations\/(lib\/)?[^/]+\.cjs$/,
  /^bin\/adminjs-single-session\.cjs$/,
];

/** The package name of a bare import specifier (`@scope/name/sub` → `@scope/name`), or null for a relative one. */
function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const isBuiltin = (name: string) => name.startsWith('node:') || builtinModules.includes(name);

/** Every import, dynamic import and require() of a JavaScript file. */
function importsOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => f.fileName);
}

/**
 * What AdminJS's bundler maps to its browser globals: the only imports a component (bundled by AdminJS from the
 * host's ComponentLoader) may have. Read from the installed AdminJS, so an AdminJS that changes them fails here.
 */
function adminjsBundlerExternals(): string[] {
  const source = readFileSync(path.join(root, 'node_modules', 'adminjs', 'lib', 'backend', 'bundler', 'utils', 'asset-bundler.js'), 'utf8');
  const list = /DEFAULT_EXTERNALS\s*=\s*\[([^\]]*)\]/.exec(source);
  if (!list) throw new Error('AdminJS\'s bundler no longer has DEFAULT_EXTERNALS: check how it bundles components');
  return [...list[1]!.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f)).filter((f) => statSync(f).isFile());
}

describe('package manifest and tarball', function () {
  this.timeout(600_000);
  let pack: PackedPackage;
  let unpacked: string;

  before(async () => {
    const t0 = performance.now();
    pack = await packPackage();
    unpacked = scratchDir('unpacked');
    await run('tar', ['-xzf', pack.tarball, '-C', unpacked]);
    unpacked = path.join(unpacked, 'package');
    console.log(`      packed (${pack.files.length} files) in ${since(t0)}`);
  });

  it('ships the built code, the migrations and the docs: no sources, demo, seeders, tests or benchmarks', () => {
    const unexpected = pack.files.filter((f) => !SHIPPED.some((re) => re.test(f)));
    expect(unexpected, 'files outside dist/src, migrations/ and the docs (README, CHANGELOG, docs/*.md)').to.deep.equal([]);
    expect(pack.files).to.include.members([
      'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/adminjs.js', 'dist/src/adminjs.d.ts',
      'dist/src/adminjs/components/LogoutConfirmation.js',
      'migrations/20261126000000-single-session.cjs', 'migrations/20261126000001-active-sessions-view.cjs',
      'migrations/20261127000000-known-devices.cjs',
      'migrations/20261130000000-sessions-at-scale.cjs', 'migrations/lib/checks.cjs', 'migrations/lib/one-step.cjs',
      'bin/adminjs-single-session.cjs',
      // The guides the README links to, so that its links work in node_modules too.
      'README.md', 'docs/install.md', 'docs/reference.md',
    ]);
    expect(manifest.bin).to.deep.equal({ 'adminjs-single-session': './bin/adminjs-single-session.cjs' });
    // Every entry of `exports` and `main`/`types` points at a shipped file.
    const targets = [manifest.main, manifest.types, ...Object.values(manifest.bin), ...Object.values(manifest.exports).flatMap((e: any) => (typeof e === 'string' ? [e] : Object.values(e)))];
    for (const target of targets as string[]) {
      if (target.includes('*')) continue;
      expect(pack.files, `exports target ${target}`).to.include(target.replace(/^\.\//, ''));
    }
  });

  it('every package the shipped code loads is a dependency or a declared peer; components load only what AdminJS provides', () => {
    const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
    const externals = new Set(adminjsBundlerExternals());
    const problems: string[] = [];
    const code = filesUnder(unpacked).filter((f) => /\.(c|m)?js$/.test(f));
    expect(code.length).to.be.above(20);
    for (const file of code) {
      const relative = path.relative(unpacked, file);
      const isComponent = relative.split(path.sep).includes('components');
      for (const specifier of importsOf(file)) {
        const name = packageOf(specifier);
        if (name === null || isBuiltin(name)) continue;
        if (isComponent ? !externals.has(specifier) : !declared.has(name)) problems.push(`${relative} imports ${specifier}`);
      }
    }
    expect(problems).to.deep.equal([]);
  });

  it('AdminJS, Express and pg are optional peers (an app without AdminJS never needs them; pg only for the live sign-out\'s listener on PostgreSQL, loaded when used); express-session and sequelize are required', () => {
    const optional = Object.entries(manifest.peerDependenciesMeta ?? {}).filter(([, m]: [string, any]) => m.optional).map(([n]) => n).sort();
    expect(optional).to.deep.equal(['@adminjs/express', 'adminjs', 'express', 'pg']);
    expect(Object.keys(manifest.peerDependencies).sort()).to.deep.equal(['@adminjs/express', 'adminjs', 'express', 'express-session', 'pg', 'sequelize']);
  });

  it('an app without AdminJS installs none of it, and loads the core with import and with require()', async () => {
    const t0 = performance.now();
    const dir = scratchDir('core-app');
    await installWithTarball(dir, { name: 'core-only-app', private: true, dependencies: { pg: manifest.devDependencies.pg } }, ['--omit=dev']);
    const modules = path.join(dir, 'node_modules');
    for (const absent of ['adminjs', '@adminjs/express', '@adminjs/design-system', 'react']) {
      expect(existsSync(path.join(modules, absent)), `node_modules/${absent}`).to.equal(false);
    }
    for (const present of [PACKAGE_NAME, 'express-session', 'sequelize']) expect(existsSync(path.join(modules, present)), present).to.equal(true);
    const { stdout: ls } = await run('npm', ['ls', '--all', '--parseable'], { cwd: dir });
    console.log(`      core-only app: ${ls.trim().split('\n').length - 1} packages installed in ${since(t0)}`);

    writeFileSync(path.join(dir, 'core.cjs'), `
const core = require('${PACKAGE_NAME}');
if (typeof core.createSingleSession !== 'function' || typeof core.migrate !== 'function') throw new Error('incomplete core entry');
let adminjsEntry;
try { require('${PACKAGE_NAME}/adminjs'); adminjsEntry = 'loaded'; } catch (err) { adminjsEntry = err.code; }
console.log(JSON.stringify({ core: 'ok', adminjsEntry }));
`);
    writeFileSync(path.join(dir, 'core.mjs'), `
import { createSingleSession } from '${PACKAGE_NAME}';
console.log(typeof createSingleSession);
`);
    const cjs = await run(process.execPath, ['core.cjs'], { cwd: dir });
    // The AdminJS entry needs AdminJS: without it, require() says which module is missing.
    expect(JSON.parse(cjs.stdout)).to.deep.equal({ core: 'ok', adminjsEntry: 'ERR_MODULE_NOT_FOUND' });
    expect((await run(process.execPath, ['core.mjs'], { cwd: dir })).stdout.trim()).to.equal('function');
  });

  it('a CommonJS file of an AdminJS app require()s both entries (Node >= 20.19)', async function () {
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
    if (major === 20 && minor < 19) {
      console.log(`      skipped: Node ${process.versions.node} cannot require() ES modules (20.19 and 22.12 can)`);
      this.skip();
    }
    const dir = await installExampleApp();
    writeFileSync(path.join(dir, 'entries.cjs'), `
const core = require('${PACKAGE_NAME}');
const admin = require('${PACKAGE_NAME}/adminjs');
console.log(JSON.stringify([typeof core.createSingleSession, typeof admin.singleSessionFeature, typeof admin.SingleSessionAuthProvider]));
`);
    const { stdout } = await run(process.execPath, ['entries.cjs'], { cwd: dir });
    expect(JSON.parse(stdout)).to.deep.equal(['function', 'function', 'function']);
  });
});
