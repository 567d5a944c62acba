/** What the figures were measured on: they mean little without it. */
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  ramGiB: number;
  os: string;
  node: string;
  postgres: string;
  /** With `--mariadb`: its server's version. */
  mariadb?: string;
  loadAtStart: number[];
}

/** When, how and where a results file was made. */
export interface RunInfo {
  command: string;
  date: Date;
  /** The whole run, fill included. */
  seconds: number;
  machine: Machine;
}

export function describeMachine(postgresVersion: string, mariadbVersion?: string): Machine {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) cpu = line.split(':')[1]!.trim();
  } catch {
    // not Linux: os.cpus() it is
  }
  return {
    cpu,
    cores: os.cpus().length,
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    postgres: postgresVersion.replace(/ on .*$/, '').replace(/\s*\(.*?\)/, ''),
    ...(mariadbVersion ? { mariadb: mariadbVersion } : {}),
    loadAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
