/**
 * Looking at processes through /proc, to check that children are really gone (reaped, not zombies).
 */
import { readFileSync, readdirSync } from 'node:fs';

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

/** Polls until `pid` is gone or a zombie of another parent (i.e. no longer running), or times out. */
export async function waitNotRunning(pid: number, timeoutMs = 2000): Promise<ProcState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = procState(pid);
    if (state !== 'running' || Date.now() > deadline) return state;
    await new Promise((r) => setTimeout(r, 20));
  }
}
