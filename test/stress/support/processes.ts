/**
 * App processes: the demo server (`node --import tsx example/server.ts`), started N times on one database. Each
 * picks a free port (PORT=0) and prints its URL when it is ready; they migrate and seed under an advisory lock.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const READY = /ready in [\d.]+ s at (http:\/\/localhost:\d+)\//;

export interface AppProcesses {
  urls: string[];
  /** The processes' ids, in the order of `urls`. */
  pids: number[];
  /** SIGTERM to each process (by its pid); resolves when all have exited. */
  stop(): Promise<void>;
}

export async function startDemoProcesses(count: number, env: Record<string, string>): Promise<AppProcesses> {
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map((child) => child.exitCode !== null || child.signalCode !== null ? undefined
      : new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); })));
  };
  try {
    const urls = await Promise.all(Array.from({ length: count }, () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'example/server.ts'], {
        cwd: root,
        env: { ...process.env, PORT: '0', NODE_ENV: 'test', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      return waitReady(child);
    }));
    return { urls, pids: children.map((child) => child.pid!), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

// Generous: four processes compiling TypeScript at once on a loaded 2-core machine took over 120 s (issue 27 runs).
function waitReady(child: ChildProcess, timeoutMs = 240_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    let ready = false;
    const timer = setTimeout(() => reject(new Error(`demo process not ready after ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      if (ready) return; // keep draining the pipe, keep nothing
      output += chunk.toString();
      const match = READY.exec(output);
      if (match) {
        ready = true;
        clearTimeout(timer);
        resolve(match[1]!.replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`demo process exited (${code}) before it was ready:\n${output}`));
    });
  });
}
