/**
 * What Linux says about a process and the machine, read from /proc from the outside (a stuck event loop cannot
 * hide it): resident memory (VmRSS), CPU time, and the machine's busy CPU time.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on every Linux architecture Node runs on). */
const TICKS = 100;

/** Resident set size of a process, in MiB (VmRSS of /proc/<pid>/status). */
export function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  if (!line) throw new Error(`no VmRSS for process ${pid}`);
  return Number(line.split(/\s+/)[1]) / 1024;
}

/** CPU seconds a process has used (user + system, /proc/<pid>/stat). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: the fields that follow start after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** Busy and total CPU seconds of the whole machine, all cores (/proc/stat). */
export function machineCpu(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const ticks = values.map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  const idle = ticks[3]! + (ticks[4] ?? 0); // idle + iowait
  return { busy: (total - idle) / TICKS, total: total / TICKS };
}

/** CPU use between two readings, as a share of one core (1 = one core fully busy). */
export class CpuMeter {
  private last: { at: number; cpu: number };

  constructor(private readonly read: () => number) {
    this.last = { at: performance.now(), cpu: read() };
  }

  /** Cores used since the previous call (or since construction). */
  cores(): number {
    const now = { at: performance.now(), cpu: this.read() };
    const used = (now.cpu - this.last.cpu) / ((now.at - this.last.at) / 1000);
    this.last = now;
    return used;
  }
}

/** This process's CPU seconds (no /proc needed). */
export const ownCpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
