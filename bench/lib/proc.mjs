// Process-tree CPU and memory from /proc (Linux), for measuring another program (Chromium) the
// way process.cpuUsage() measures this one.
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
const PAGE_SIZE = Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).trim()) || 4096;

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid) {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** The pids of `root` and all its descendants, but none under a pid in `exclude`. */
export function processTree(root, exclude = new Set()) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const ppid = Number(statFields(name)[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(name));
    } catch {
      // The process exited while we looked.
    }
  }
  const out = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop();
    if (exclude.has(pid)) continue;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/**
 * CPU seconds (user + system) used so far by each process of the tree under `root`, and their
 * total resident memory in bytes. `includeRoot: false` leaves `root` itself out (to measure the
 * children this process started); the trees under the pids in `exclude` are left out too.
 * `reaped: true` adds to each process the CPU of its children that have ended and been waited
 * for (cutime, cstime): a child that ends between two samples then still counts, through its
 * parent, and none counts twice (a child's time moves into its parent's when it is reaped).
 */
export function treeUsage(root, { includeRoot = true, exclude = new Set(), reaped = false } = {}) {
  const cpu = new Map();
  let rss = 0;
  for (const pid of processTree(root, exclude)) {
    if (pid === root && !includeRoot) continue;
    try {
      const f = statFields(pid);
      // utime and stime are fields 14 and 15 of stat; after the name, indices 11 and 12.
      // cutime and cstime are fields 16 and 17: indices 13 and 14.
      const children = reaped ? Number(f[13]) + Number(f[14]) : 0;
      cpu.set(pid, (Number(f[11]) + Number(f[12]) + children) / CLK_TCK);
      rss += Number(f[21]) * PAGE_SIZE;
    } catch {
      // Gone.
    }
  }
  return { cpu, rss };
}

/** CPU seconds the tree used between two `treeUsage` samples (processes born since count from 0). */
export function cpuBetween(before, after) {
  let total = 0;
  for (const [pid, seconds] of after.cpu) total += seconds - (before.cpu.get(pid) ?? 0);
  return total;
}

/**
 * CPU seconds used so far by every thread of `pid`, from the nanosecond run times of
 * /proc/PID/task/TID/schedstat (the scheduler's own accounting; /proc/PID/stat counts in clock
 * ticks of 10 ms, too coarse for a process using 2 % of a core over 15 s). Threads that ended are
 * not counted: compare figures of long-lived threads only.
 */
export function processCpuNs(pid) {
  let ns = 0;
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;
  }
  for (const tid of tids) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended.
    }
  }
  return ns / 1e9;
}

/**
 * CPU seconds per process of the tree under `root` (threads' run times, see processCpuNs), for
 * cpuBetween. `includeRoot: false` leaves `root` out; the trees under `exclude` are left out.
 */
export function treeCpu(root, { includeRoot = true, exclude = new Set() } = {}) {
  const cpu = new Map();
  for (const pid of processTree(root, exclude)) {
    if (pid === root && !includeRoot) continue;
    cpu.set(pid, processCpuNs(pid));
  }
  return { cpu };
}
