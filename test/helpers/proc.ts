/**
 * Looking at processes through /proc, to check that children are really gone (reaped, not zombies).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { until } from './wait.js';

export type ProcState = 'gone' | 'zombie' | 'running';

/** Whether `pid` exists, and if so whether it is a zombie (exited, not yet reaped). */
export function procState(pid: number): ProcState {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 'gone';
  }
  // "pid (comm) S ppid ..." — comm may contain spaces or parentheses, so split at the last ")".
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X' ? 'zombie' : 'running';
}

/** The parent pid of `pid`, or undefined if it is gone. */
export function parentPid(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** Pids of the live (non-zombie) children of `ppid` whose command name is `comm` (e.g. "parec"). */
export function childrenNamed(comm: string, ppid = process.pid): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (name === comm && Number(rest[1]) === ppid && rest[0] !== 'Z') out.push(pid);
    } catch {
      // raced with its exit
    }
  }
  return out;
}

/**
 * Waits until `pid` is no longer running: gone, or a zombie of another parent (a process
 * reparented to init shows as a zombie until init reaps it). Returns its state then, or
 * 'running' when the (scaled) deadline passed first.
 */
export async function waitNotRunning(pid: number, timeoutMs = 5000): Promise<ProcState> {
  return until(() => procState(pid) !== 'running', { timeoutMs, what: `process ${pid} to end` }).then(
    () => procState(pid),
    () => procState(pid),
  );
}

/**
 * Waits until process `pid` is gone: exited and reaped (a child of ours stays a zombie until Node
 * has waited for it). Returns its state then, or its last state when the (scaled) deadline passed.
 */
export async function waitGone(pid: number, timeoutMs = 5000): Promise<ProcState> {
  return until(() => procState(pid) === 'gone', { timeoutMs, what: `process ${pid} to be reaped` }).then(
    () => 'gone' as const,
    () => procState(pid),
  );
}

/** The first line of /proc/<pid>/status fields, e.g. `Name`, `SigIgn`; undefined once it is gone. */
function statusField(pid: number, field: string): string | undefined {
  try {
    const m = new RegExp(`^${field}:\\s*(.*)$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1];
  } catch {
    return undefined;
  }
}

const SIGNAL_NUMBERS: Readonly<Record<string, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGPIPE: 13, SIGTERM: 15 };

function signalBit(mask: string | undefined, signal: string): boolean {
  if (mask === undefined) return false;
  return ((BigInt(`0x${mask}`) >> BigInt(SIGNAL_NUMBERS[signal]! - 1)) & 1n) === 1n;
}

/** The program `pid` runs now (its command name, e.g. "sleep" once `sh -c 'exec sleep 1'` has exec'd). */
export function commandName(pid: number): string | undefined {
  return statusField(pid, 'Name');
}

/** Whether `pid` ignores `signal` (SIG_IGN), e.g. after `trap "" TERM`. */
export function ignoresSignal(pid: number, signal: 'SIGTERM' | 'SIGINT' | 'SIGHUP' | 'SIGPIPE'): boolean {
  return signalBit(statusField(pid, 'SigIgn'), signal);
}

/** Whether `signal` was sent to `pid` and not yet delivered (to its handler, or its default action). */
export function signalPending(pid: number, signal: 'SIGTERM' | 'SIGINT' | 'SIGHUP' | 'SIGPIPE'): boolean {
  return signalBit(statusField(pid, 'ShdPnd'), signal) || signalBit(statusField(pid, 'SigPnd'), signal);
}

/** The write(2) system call number on this architecture (see /proc/<pid>/syscall). */
const WRITE_SYSCALL: Readonly<Record<string, number>> = { x64: 1, arm64: 64, arm: 4, ia32: 4, riscv64: 64 };

/**
 * Whether the main thread of `pid` sleeps inside write(2): blocked writing to a full pipe or socket
 * (Node gives a child's stdout as a socket pair). Where /proc/<pid>/syscall cannot be read, the
 * kernel wait channel tells instead.
 */
export function blockedInWrite(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'S') return false;
    try {
      return Number(readFileSync(`/proc/${pid}/syscall`, 'utf8').split(' ')[0]) === WRITE_SYSCALL[process.arch];
    } catch {
      return /pipe_(write|wait)|sock_alloc_send|unix_stream_sendmsg/.test(readFileSync(`/proc/${pid}/wchan`, 'utf8'));
    }
  } catch {
    return false;
  }
}
