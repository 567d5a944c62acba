/**
 * The package as a user gets it: built, packed into a tarball, and installed with npm into a scratch copy of
 * examples/express-app. Each step runs once per test run (the install and manifest tests share them); the scratch
 * folders are removed when the process exits.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAlive } from '../../example/db/embedded-postgres.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXAMPLE_APP = path.join(root, 'examples', 'express-app');
export const PACKAGE_NAME = 'adminjs-single-session';

/** Flags of every install: the npm cache (filled by the root's `npm ci`) first, no audit or funding calls. */
export const NPM_INSTALL_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

const SCRATCH_PREFIX = `${PACKAGE_NAME}-scratch-`;
const scratchDirs: string[] = [];

/**
 * Removes folders in the background: an installed app is some 30,000 files, and deleting them on a busy machine
 * took longer than the rest of the test.
 */
function removeLater(dirs: string[]): void {
  if (dirs.length) spawn('rm', ['-rf', ...dirs], { detached: true, stdio: 'ignore' }).unref();
}

process.on('exit', () => {
  if (!process.env.KEEP_INSTALL_SCRATCH) removeLater(scratchDirs);
});

/** Scratch folders of runs that were killed before their clean-up (the pid in the name is gone). */
function removeAbandoned(): void {
  const abandoned = readdirSync(os.tmpdir())
    .filter((name) => name.startsWith(SCRATCH_PREFIX))
    .filter((name) => !isAlive(Number(name.slice(SCRATCH_PREFIX.length).split('-')[0])));
  removeLater(abandoned.map((name) => path.join(os.tmpdir(), name)));
}

/** A new folder under the OS temp dir, removed at exit (KEEP_INSTALL_SCRATCH=1 keeps it for a post-mortem). */
export function scratchDir(label: string): string {
  if (scratchDirs.length === 0) removeAbandoned();
  const dir = mkdtempSync(path.join(os.tmpdir(), `${SCRATCH_PREFIX}${process.pid}-${label}-`));
  scratchDirs.push(dir);
  return dir;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to completion; rejects with its output unless it exits 0 (or `allowFailure`). The npm_* variables
 * of an enclosing `npm test` are dropped: they would point a nested npm at this repository.
 */
export function run(command: string, args: string[], { cwd = root, env = {}, allowFailure = false }: {
  cwd?: string; env?: Record<string, string | undefined>; allowFailure?: boolean;
} = {}): Promise<RunResult> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 || allowFailure) resolve({ code, stdout, stderr });
      else reject(new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${code}:\n${stdout}\n${stderr}`));
    });
  });
}

let built: Promise<void> | undefined;

/** `npm run build` (dist/ from src/), once per run. */
export function buildPackage(): Promise<void> {
  built ??= run('npm', ['run', 'build']).then(() => undefined);
  return built;
}

export interface PackedPackage {
  tarball: string;
  /** The paths inside the package, as `npm pack` lists them. */
  files: string[];
}

let packed: Promise<PackedPackage> | undefined;

/** The built package packed into a tarball in a scratch folder, once per run. */
export function packPackage(): Promise<PackedPackage> {
  packed ??= (async () => {
    await buildPackage();
    const dir = scratchDir('pack');
    // The build just ran: skip prepack (which builds again).
    const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir]);
    const [info] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    return { tarball: path.join(dir, info!.filename), files: info!.files.map((f) => f.path) };
  })();
  return packed;
}

/**
 * Writes an app's package.json with the package taken from the tarball instead of the registry, and runs
 * `npm install` there with `extraArgs`.
 */
export async function installWithTarball(dir: string, manifest: Record<string, any>, extraArgs: string[] = []): Promise<void> {
  const { tarball } = await packPackage();
  manifest.dependencies = { ...manifest.dependencies, [PACKAGE_NAME]: `file:${tarball}` };
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await run('npm', ['install', ...NPM_INSTALL_FLAGS, ...extraArgs], { cwd: dir });
}

const installed = new Map<string, Promise<string>>();

/** A scratch copy of `examples/<name>` with the tarball and the app's dependencies installed (once per run); its folder. */
export function installExample(name: string): Promise<string> {
  if (!installed.has(name)) {
    installed.set(name, (async () => {
      const source = path.join(root, 'examples', name);
      const dir = scratchDir(name);
      cpSync(source, dir, {
        recursive: true,
        filter: (file) => !/[\\/](node_modules|\.adminjs)$/.test(file),
      });
      await installWithTarball(dir, JSON.parse(readFileSync(path.join(source, 'package.json'), 'utf8')));
      return dir;
    })());
  }
  return installed.get(name)!;
}

/** examples/express-app, installed. */
export const installExampleApp = (): Promise<string> => installExample('express-app');

/** Milliseconds since `t0`, for the durations the tests print. */
export const since = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
