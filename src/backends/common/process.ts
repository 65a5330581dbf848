/**
 * Child processes with one owner each (ffmpeg, parec, pactl).
 *
 * Every backend that needs an external program starts it through {@link OwnedProcess}: an argv
 * array (never a shell string), stdout read as a stream of Buffers, the last few KiB of stderr kept
 * for error messages, and a {@link OwnedProcess.kill} that sends SIGTERM, then SIGKILL after a grace
 * period, and resolves only once the child has been reaped. An exit the owner did not ask for is
 * reported to `onUnexpectedExit`, which the owner turns into a Source failure.
 *
 * A module-level registry holds every live child. When the Node process exits (normally, through
 * `process.exit()`, or on a SIGINT/SIGTERM/SIGHUP that the application does not handle itself)
 * each live child gets a synchronous SIGKILL, so nothing is left running. What this cannot cover: the Node process being
 * SIGKILLed itself. Then a child that writes continuously (parec, ffmpeg) dies of SIGPIPE on its
 * next write, but one that only writes on events (`pactl subscribe`) lingers until its next event.
 *
 * Children stay in Node's process group, so a terminal's Ctrl-C reaches them too. Only the child's
 * own pid is signalled: programs started here must not leave grandchildren behind (parec, pactl and
 * ffmpeg do not).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import { delimiter, join } from 'node:path';
import type { Readable } from 'node:stream';
import { clearTimeout, delay, setTimeout } from '../../platform/timers.js';

/** How a child process ended. */
export interface ProcessExit {
  /** Exit status, or null when it was ended by a signal or never started. */
  readonly code: number | null;
  /** The signal that ended it, or null. */
  readonly signal: NodeJS.Signals | null;
  /** Whether the owner asked for the exit (`kill()`), as opposed to the program stopping by itself. */
  readonly expected: boolean;
  /** The last lines the program wrote to stderr, for error messages. */
  readonly stderrTail: string;
  /** Set when the program could not be started at all (see {@link MissingProgramError}). */
  readonly error?: Error;
}

export interface OwnedProcessOptions {
  /** Environment for the child; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Milliseconds between SIGTERM and SIGKILL in `kill()`. Default 2000. */
  readonly killGraceMs?: number;
  /** How many bytes of stderr to keep for messages. Default 4096. */
  readonly stderrTailBytes?: number;
  /** The Debian package that provides the program, named in the error when it is missing. */
  readonly debianPackage?: string;
  /**
   * Whether the running program keeps Node's event loop alive, like an open device does. Default
   * true. With false (a background watcher such as `pactl subscribe`) Node may exit while it runs;
   * the exit hook then kills it.
   */
  readonly keepAlive?: boolean;
  /**
   * Start the program in a process group of its own, so that a terminal's Ctrl-C (SIGINT to the
   * foreground group) reaches only Node, which then stops the program in order (an encoder must
   * finish its file). Default false. The exit hook still kills it if Node goes away.
   */
  readonly detached?: boolean;
  /** Called with each line of stderr (lines end at `\n` or `\r`; terminal escapes removed). */
  readonly onStderrLine?: (line: string) => void;
  /** Which stderr lines go into `stderrTail` (default all); leave out periodic status lines. */
  readonly stderrTailFilter?: (line: string) => boolean;
  /**
   * Called once when the program exits without `kill()` having been called. Runs after the data
   * it wrote to stdout before dying has been delivered (or 250 ms after its exit, if something
   * else holds its stdout open). Not called when the program could not be started: `started`
   * rejects instead.
   */
  readonly onUnexpectedExit?: (exit: ProcessExit) => void;
}

/** Which Debian package provides the programs the backends use. */
const DEBIAN_PACKAGES: Readonly<Record<string, string>> = {
  parec: 'pulseaudio-utils',
  pacat: 'pulseaudio-utils',
  pactl: 'pulseaudio-utils',
  pulseaudio: 'pulseaudio',
  ffmpeg: 'ffmpeg',
  ffprobe: 'ffmpeg',
  Xvfb: 'xvfb',
  xset: 'x11-xserver-utils',
  'v4l2-ctl': 'v4l-utils',
};

/** The program could not be started: not installed, not executable, or not found on PATH. */
export class MissingProgramError extends Error {
  override readonly name = 'MissingProgramError';
  /** The program that was asked for, e.g. "parec". */
  readonly program: string;
  /** The errno code from spawn, e.g. "ENOENT" or "EACCES". */
  readonly code: string;

  constructor(program: string, code: string, debianPackage: string | undefined) {
    const pkg = debianPackage ?? DEBIAN_PACKAGES[program];
    const what =
      code === 'ENOENT'
        ? `${program} was not found on PATH`
        : code === 'EACCES'
          ? `${program} is not executable (EACCES)`
          : `${program} could not be started (${code})`;
    const fix = pkg ? `. Install it with: apt-get install ${pkg}` : '';
    super(what + fix);
    this.program = program;
    this.code = code;
  }
}

const live = new Set<OwnedProcess>();
let hooksInstalled = false;
const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Synchronous last resort: SIGKILL every live child. Used on process exit. */
function killAllNow(): void {
  for (const child of live) child.killNow();
}

function onFatalSignal(signal: NodeJS.Signals): void {
  // Someone else handles this signal (say, to stop a recording gracefully): leave the children to
  // them; the exit hook still runs when they exit.
  if (process.listenerCount(signal) > 1) return;
  killAllNow();
  process.removeListener(signal, onFatalSignal);
  // Die of the signal, as Node would have without a listener.
  process.kill(process.pid, signal);
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllNow);
  // A signal listener replaces Node's default "terminate"; this one restores it (the approach of
  // the signal-exit package) unless the application listens too.
  for (const signal of FORWARDED_SIGNALS) process.on(signal, onFatalSignal);
}

/** The pids of the children that are running now (for tests and diagnostics). */
export function livePids(): number[] {
  return [...live].map((c) => c.pid).filter((p): p is number => p !== undefined);
}

const startListeners = new Set<(proc: OwnedProcess) => void>();

/**
 * Calls `listener` with every child started from now on, until the returned function is called:
 * for tests that count the processes a backend spawns, and for diagnostics.
 */
export function onProcessStart(listener: (proc: OwnedProcess) => void): () => void {
  startListeners.add(listener);
  return () => void startListeners.delete(listener);
}

/** Kills every live child and waits until each is reaped. */
export async function killAll(): Promise<void> {
  await Promise.all([...live].map((c) => c.kill()));
}

/** A child process with exactly one owner, who ends it and waits for it. */
export class OwnedProcess {
  /** The program as given, e.g. "parec". */
  readonly program: string;
  readonly args: readonly string[];
  /** Resolves once the program is running; rejects with {@link MissingProgramError} if it cannot start. */
  readonly started: Promise<void>;
  /**
   * Resolves once the program has exited and been reaped, and its output has been read (never
   * rejects).
   */
  readonly exited: Promise<ProcessExit>;

  #child: ChildProcess;
  #options: OwnedProcessOptions;
  #stderrTail = '';
  #stderrPartial = '';
  #killRequested = false;
  #exit: ProcessExit | undefined;
  #resolveExited!: (exit: ProcessExit) => void;
  #reaped = false;
  #unexpectedReported = false;

  constructor(program: string, args: readonly string[], options: OwnedProcessOptions = {}) {
    this.program = program;
    this.args = [...args];
    this.#options = options;
    this.exited = new Promise((resolve) => (this.#resolveExited = resolve));
    installHooks();

    const child = spawn(program, this.args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      cwd: options.cwd,
      shell: false,
      windowsHide: true,
      detached: options.detached ?? false,
    });
    this.#child = child;
    live.add(this);
    for (const listener of [...startListeners]) listener(this);
    if (options.keepAlive === false) {
      child.unref();
      (child.stdout as Socket).unref();
      (child.stderr as Socket).unref();
    }

    let spawned = false;
    this.started = new Promise<void>((resolve, reject) => {
      child.once('spawn', () => {
        spawned = true;
        resolve();
      });
      child.on('error', (err: NodeJS.ErrnoException) => {
        if (spawned) return; // a later error (e.g. a failed kill) is not a start failure
        const error = new MissingProgramError(program, err.code ?? 'UNKNOWN', options.debianPackage);
        reject(error);
        this.#finish({ code: null, signal: null, expected: this.#killRequested, stderrTail: '', error });
      });
    });
    // Nobody may be awaiting `started` (e.g. an owner that only watches `exited`); that is not an
    // unhandled rejection, the failure is also in `exited`.
    this.started.catch(() => {});

    child.stderr!.on('data', (chunk: Buffer) => this.#onStderr(chunk));
    // 'exit': the child is reaped. 'close': also its stdout and stderr are drained, so the last
    // stderr lines are in the tail and the last stdout data has been delivered; `exited` waits
    // for that, but not forever (a grandchild may hold the pipes open).
    let drainTimer: NodeJS.Timeout | undefined;
    const finalize = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (drainTimer) clearTimeout(drainTimer);
      if (this.#exit !== undefined) return;
      this.#flushStderr();
      this.#finish({ code, signal, expected: this.#killRequested, stderrTail: this.#stderrTail });
      this.#reportUnexpected();
    };
    child.once('exit', (code, signal) => {
      this.#reaped = true;
      live.delete(this);
      drainTimer = setTimeout(() => finalize(code, signal), 250);
      drainTimer.unref();
    });
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => finalize(code, signal));
  }

  /** The child's pid; undefined if it could not be started. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** True until the program has exited and been reaped. */
  get running(): boolean {
    return !this.#reaped && this.#exit === undefined;
  }

  /** True once `kill()` has been called. */
  get killRequested(): boolean {
    return this.#killRequested;
  }

  /** The program's stdout. Also iterable with `for await (const chunk of proc)`. */
  get stdout(): Readable {
    return this.#child.stdout!;
  }

  /** The last lines of stderr seen so far. */
  get stderrTail(): string {
    return this.#stderrTail;
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return this.#child.stdout![Symbol.asyncIterator]();
  }

  /**
   * Ends the program: SIGTERM, then SIGKILL if it is still running after the grace period.
   * Resolves once it has been reaped (its pid is gone). Safe to call more than once.
   */
  kill(): Promise<ProcessExit> {
    if (!this.#killRequested) {
      this.#killRequested = true;
      if (this.running && this.#child.pid !== undefined) {
        this.#child.kill('SIGTERM');
        const timer = setTimeout(() => {
          if (this.running) this.#child.kill('SIGKILL');
        }, this.#options.killGraceMs ?? 2000);
        void this.exited.then(() => clearTimeout(timer));
      }
    }
    return this.exited;
  }

  /** Synchronous SIGKILL, for the process-exit hook. Does not wait for the reap. */
  killNow(): void {
    this.#killRequested = true;
    if (this.running && this.#child.pid !== undefined) {
      try {
        process.kill(this.#child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  /** A one-line description for error messages: the program, how it ended, and its last stderr line. */
  describeExit(exit: ProcessExit): string {
    const how = exit.error
      ? exit.error.message
      : exit.signal
        ? `was killed by ${exit.signal}`
        : `exited with status ${exit.code}`;
    const last = exit.stderrTail.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
    return `${this.program} ${how}${last ? `: ${last}` : ''}`;
  }

  #finish(exit: ProcessExit): void {
    if (this.#exit !== undefined) return;
    this.#exit = exit;
    live.delete(this);
    this.#resolveExited(exit);
  }

  #reportUnexpected(): void {
    const exit = this.#exit;
    if (!exit || exit.expected || exit.error || this.#killRequested || this.#unexpectedReported) return;
    this.#unexpectedReported = true;
    this.#options.onUnexpectedExit?.(exit);
  }

  #onStderr(chunk: Buffer): void {
    // Terminal control sequences (pacat writes "\x1b[K" after some messages) are noise here.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC is the character looked for.
    const text = this.#stderrPartial + chunk.toString('utf8').replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
    const lines = text.split(/\r\n|\r|\n/);
    this.#stderrPartial = lines.pop() ?? '';
    for (const line of lines) this.#stderrLine(line);
  }

  #flushStderr(): void {
    if (this.#stderrPartial) this.#stderrLine(this.#stderrPartial);
    this.#stderrPartial = '';
  }

  #stderrLine(line: string): void {
    const trimmed = line.trimEnd();
    if (!trimmed) return;
    this.#options.onStderrLine?.(trimmed);
    if (this.#options.stderrTailFilter && !this.#options.stderrTailFilter(trimmed)) return;
    const max = this.#options.stderrTailBytes ?? 4096;
    this.#stderrTail += trimmed + '\n';
    if (this.#stderrTail.length > max) {
      this.#stderrTail = this.#stderrTail.slice(this.#stderrTail.length - max);
      const nl = this.#stderrTail.indexOf('\n');
      if (nl >= 0) this.#stderrTail = this.#stderrTail.slice(nl + 1);
    }
  }
}

export interface RunResult {
  readonly stdout: Buffer;
  readonly exit: ProcessExit;
}

/** Thrown by {@link runProgram} when the program fails or exceeds its time limit. */
export class ProgramFailedError extends Error {
  override readonly name = 'ProgramFailedError';
  readonly exit: ProcessExit;
  constructor(message: string, exit: ProcessExit) {
    super(message);
    this.exit = exit;
  }
}

/**
 * Runs a program to completion and returns its stdout. Rejects with {@link MissingProgramError}
 * if it cannot start, or {@link ProgramFailedError} (naming the program and its last stderr lines)
 * if it exits with a non-zero status or runs past `timeoutMs` (then it is killed and reaped).
 */
export async function runProgram(
  program: string,
  args: readonly string[],
  options: OwnedProcessOptions & { timeoutMs?: number } = {},
): Promise<RunResult> {
  const proc = new OwnedProcess(program, args, options);
  const chunks: Buffer[] = [];
  proc.stdout.on('data', (c: Buffer) => chunks.push(c));
  const stdoutDone = new Promise<void>((resolve) => {
    proc.stdout.once('close', resolve);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void proc.kill();
  }, options.timeoutMs ?? 10_000);
  try {
    await proc.started;
  } catch (err) {
    clearTimeout(timer);
    throw err;
  }
  const exit = await proc.exited;
  clearTimeout(timer);
  await Promise.race([stdoutDone, delay(250)]);
  if (timedOut) {
    throw new ProgramFailedError(
      `${program} ${args.join(' ')} did not finish within ${options.timeoutMs ?? 10_000} ms`,
      exit,
    );
  }
  if (exit.code !== 0) throw new ProgramFailedError(proc.describeExit(exit), exit);
  return { stdout: Buffer.concat(chunks), exit };
}

/** Whether `program` is installed: a file of that name in a directory of `env.PATH` (synchronous, for backend selection). */
export function onPath(program: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, program)));
}

/** Options of {@link awaitStartup}. */
export interface StartupOptions {
  /** How long the program may take to become ready, ms. */
  readonly timeoutMs: number;
  /** Why it failed when the time ran out, e.g. "parec did not connect within 5000 ms". */
  readonly timeoutReason: string;
  /** Why it failed when it exited before becoming ready; undefined to ignore that exit. Default: its exit description. */
  readonly exitReason?: (exit: ProcessExit) => string | undefined;
  /** Builds the rejection from the reason (e.g. a NotReadableError naming the device). */
  readonly error: (why: string) => Error;
  /** Runs once on failure, before the process is killed (release what the owner holds). */
  readonly onFail?: () => void;
}

/**
 * Waits for a capture program to become ready (`ready` resolves: connected, first samples…).
 * Rejects with `options.error(reason)` and kills the program when it cannot start, exits first, or
 * takes longer than `timeoutMs`. The returned promise is pre-handled: an owner that never awaits
 * it causes no unhandled-rejection report.
 */
export function awaitStartup(proc: OwnedProcess, ready: Promise<void>, options: StartupOptions): Promise<void> {
  const startup = new Promise<void>((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.onFail?.();
      void proc.kill();
      reject(options.error(why));
    };
    const timer = setTimeout(() => fail(options.timeoutReason), options.timeoutMs);
    proc.started.catch((err: Error) => fail(err.message));
    void proc.exited.then((exit) => {
      if (exit.error) return; // a start failure: reported through `started`
      const why = options.exitReason ? options.exitReason(exit) : proc.describeExit(exit);
      if (why !== undefined) fail(why);
    });
    void ready.then(() => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve();
    });
  });
  startup.catch(() => {});
  return startup;
}
