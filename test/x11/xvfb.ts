/**
 * A private Xvfb for one test file: started on a free display number, killed at the end. Tests
 * kill it themselves to see what capture does when the display goes away.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { OwnedProcess, runProgram } from '../../src/backends/common/process.js';
import { XConnection } from '../../src/backends/x11/index.js';
import { scaled, until } from '../helpers/wait.js';

export interface Xvfb {
  /** ":N" */
  readonly display: string;
  readonly proc: OwnedProcess;
  /** Environment for X clients: DISPLAY set, XAUTHORITY as given. */
  readonly env: NodeJS.ProcessEnv;
  /** Ends the server and waits until it is reaped. */
  stop(): Promise<void>;
  /** Paints the root window one colour, e.g. "#ff0000" (xsetroot). */
  paint(color: string): Promise<void>;
}

let next = 150 + (process.pid % 40);

/**
 * Whether display `n` is taken: its lock file names a live process. A server killed with SIGKILL
 * (the fault tests kill theirs) leaves its lock file and socket behind; Xvfb removes a lock whose
 * process is gone, so such a number is free.
 */
function displayInUse(n: number): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(`/tmp/.X${n}-lock`, 'utf8').trim());
  } catch {
    return existsSync(`/tmp/.X11-unix/X${n}`);
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Starts Xvfb with one screen of `size` ("WxHxDepth"). `-noreset`: without it the server resets
 * when its last client disconnects, undoing what xsetroot painted (quirks.test.ts).
 */
export async function startXvfb(options: { size?: string; extraArgs?: string[]; env?: NodeJS.ProcessEnv; noreset?: boolean } = {}): Promise<Xvfb> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const n = next++;
    if (next > 230) next = 150;
    if (displayInUse(n)) continue;
    const display = `:${n}`;
    const args = [display, '-screen', '0', options.size ?? '320x240x24', '-nolisten', 'tcp', ...(options.noreset === false ? [] : ['-noreset']), ...(options.extraArgs ?? [])];
    const proc = new OwnedProcess('Xvfb', args, { killGraceMs: 2000 });
    const env = { ...process.env, ...options.env, DISPLAY: display };
    // Ready when it accepts a connection (the socket exists before the server listens on it), and
    // the server there is this one: another test file (or another checkout's tests) may have
    // started a server on the same number at the same moment; then this one exits, and the lock
    // file names the other's pid.
    const ours = (): boolean => {
      try {
        return readFileSync(`/tmp/.X${n}-lock`, 'utf8').trim() === String(proc.pid);
      } catch {
        return false;
      }
    };
    const accepts = async (): Promise<boolean> => {
      try {
        const c = await XConnection.connect(display, { env, timeoutMs: scaled(1000) });
        c.close();
        return true;
      } catch (e) {
        // A server that needs a cookie we do not have is up too.
        return /authenticat|refused:/.test((e as Error).message);
      }
    };
    const ready = await until(async () => !proc.running || (ours() && (await accepts())), { what: `Xvfb ${display} to accept connections`, pollMs: 50 }).then(
      () => proc.running && ours(),
      () => false,
    );
    if (!ready) {
      await proc.kill();
      continue;
    }
    return {
      display,
      proc,
      env,
      async stop() {
        await proc.kill();
        // A server killed with SIGKILL (as the fault tests do) leaves its lock file and socket.
        if (ours()) {
          rmSync(`/tmp/.X${n}-lock`, { force: true });
          rmSync(`/tmp/.X11-unix/X${n}`, { force: true });
        }
      },
      async paint(color: string) {
        // A server without -noreset resets when its last client leaves (as the readiness check
        // above did, or the previous paint); a client that connects meanwhile is refused.
        await until(
          () =>
            runProgram('xsetroot', ['-solid', color], { env, timeoutMs: scaled(10_000) }).then(
              () => true,
              (e: Error) => {
                if (/unable to open display/.test(e.message) && proc.running) return false;
                throw e;
              },
            ),
          { what: `xsetroot on ${display}`, pollMs: 50 },
        );
      },
    };
  }
  throw new Error('Could not start Xvfb on any display number');
}
