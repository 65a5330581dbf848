import { describe, it, expect, afterEach, afterAll, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { transformWithOxc } from 'vite';
import {
  OwnedProcess,
  MissingProgramError,
  ProgramFailedError,
  runProgram,
  livePids,
  killAll,
  type ProcessExit,
} from '../src/backends/common/process.js';
import { commandName, ignoresSignal, procState, waitNotRunning, parentPid } from './helpers/proc.js';
import { until } from './helpers/wait.js';

afterEach(async () => {
  vi.useRealTimers();
  await killAll();
});

describe('OwnedProcess', () => {
  it('kill() ends a running program with SIGTERM and resolves once it is reaped', async () => {
    const proc = new OwnedProcess('sleep', ['30']);
    await proc.started;
    const pid = proc.pid!;
    expect(procState(pid)).toBe('running');
    expect(parentPid(pid)).toBe(process.pid);
    expect(livePids()).toContain(pid);

    const exit = await proc.kill();
    expect(exit).toMatchObject({ code: null, signal: 'SIGTERM', expected: true });
    // Reaped, not a zombie: the pid is gone from /proc the moment kill() resolves.
    expect(procState(pid)).toBe('gone');
    expect(proc.running).toBe(false);
    expect(livePids()).not.toContain(pid);
    // Calling it again is harmless and gives the same result.
    await expect(proc.kill()).resolves.toBe(exit);
  });

  it('escalates to SIGKILL when the program ignores SIGTERM', async () => {
    // An ignored signal disposition survives exec, so this `sleep` ignores SIGTERM.
    const proc = new OwnedProcess('sh', ['-c', 'trap "" TERM; exec sleep 30'], { killGraceMs: 150 });
    await proc.started;
    const pid = proc.pid!;
    await until(() => commandName(pid) === 'sleep' && ignoresSignal(pid, 'SIGTERM'), 'sh to install the trap and exec sleep');
    const t0 = performance.now();
    const exit = await proc.kill();
    expect(exit.signal).toBe('SIGKILL');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    expect(procState(pid)).toBe('gone');
  });

  it('streams stdout as Buffers through async iteration', async () => {
    const proc = new OwnedProcess('cat', ['package.json']);
    const chunks: Buffer[] = [];
    for await (const chunk of proc) {
      expect(Buffer.isBuffer(chunk)).toBe(true);
      chunks.push(chunk);
    }
    expect(Buffer.concat(chunks).toString()).toBe(readFileSync('package.json', 'utf8'));
    const exit = await proc.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(procState(proc.pid!)).toBe('gone');
  });

  it('reports an exit it did not ask for to onUnexpectedExit, once, after the output written before it', async () => {
    // OwnedProcess's own timers (the 250 ms wait for the output after an exit) are fake here, so
    // that the test can run every one of them, rather than wait and hope they have run.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const calls: ProcessExit[] = [];
    let seenOutput = '';
    let outputAtCallback = '';
    const proc = new OwnedProcess('sh', ['-c', 'printf partial; echo "disk on fire" >&2; exit 3'], {
      onUnexpectedExit: (exit) => {
        calls.push(exit);
        outputAtCallback = seenOutput;
      },
    });
    proc.stdout.on('data', (b: Buffer) => (seenOutput += b.toString()));
    const exit = await proc.exited;
    vi.runAllTimers();
    vi.useRealTimers();
    expect(exit).toMatchObject({ code: 3, signal: null, expected: false });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toBe(exit);
    expect(outputAtCallback).toBe('partial');
    expect(exit.stderrTail).toContain('disk on fire');
    expect(proc.describeExit(exit)).toBe('sh exited with status 3: disk on fire');
    expect(procState(proc.pid!)).toBe('gone');
  });

  it('does not call onUnexpectedExit when the owner kills the program', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let called = 0;
    const proc = new OwnedProcess('sleep', ['30'], { onUnexpectedExit: () => called++ });
    await proc.started;
    await proc.kill();
    vi.runAllTimers();
    vi.useRealTimers();
    expect(called).toBe(0);
  });

  it('keeps only the tail of stderr, line by line, without terminal escapes', async () => {
    const lines: string[] = [];
    const proc = new OwnedProcess(
      'sh',
      ['-c', 'i=0; while [ $i -lt 200 ]; do echo "line $i" >&2; i=$((i+1)); done; printf "a\\rb\\033[K\\n" >&2'],
      { stderrTailBytes: 100, onStderrLine: (l) => lines.push(l) },
    );
    const exit = await proc.exited;
    expect(lines).toHaveLength(202);
    expect(lines.slice(-2)).toEqual(['a', 'b']);
    expect(exit.stderrTail.length).toBeLessThanOrEqual(100);
    expect(exit.stderrTail.startsWith('line ')).toBe(true);
    expect(exit.stderrTail.endsWith('line 199\na\nb\n')).toBe(true);
  });

  it('leaves the lines stderrTailFilter rejects out of the tail (still passing them to onStderrLine)', async () => {
    const lines: string[] = [];
    const proc = new OwnedProcess('sh', ['-c', 'echo "Time: 1.0 sec" >&2; echo "real problem" >&2; echo "Time: 1.1 sec" >&2; exit 1'], {
      stderrTailFilter: (l) => !l.startsWith('Time:'),
      onStderrLine: (l) => lines.push(l),
    });
    const exit = await proc.exited;
    expect(lines).toEqual(['Time: 1.0 sec', 'real problem', 'Time: 1.1 sec']);
    expect(exit.stderrTail).toBe('real problem\n');
  });

  it('rejects `started` with a MissingProgramError naming the program and the package to install', async () => {
    const proc = new OwnedProcess('mediacapture-no-such-program', [], { debianPackage: 'mediacapture-tools' });
    const err = await proc.started.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MissingProgramError);
    expect((err as MissingProgramError).code).toBe('ENOENT');
    expect((err as Error).message).toBe(
      'mediacapture-no-such-program was not found on PATH. Install it with: apt-get install mediacapture-tools',
    );
    const exit = await proc.exited;
    expect(exit.error).toBe(err);
    expect(proc.running).toBe(false);
    expect(livePids()).toEqual([]);
  });

  it('knows which Debian package provides the programs the backends use', async () => {
    // The child's PATH is what spawn searches, so an empty one makes parec "missing".
    const proc = new OwnedProcess('parec', [], { env: { PATH: '/nonexistent' } });
    await expect(proc.started).rejects.toThrow(
      'parec was not found on PATH. Install it with: apt-get install pulseaudio-utils',
    );
  });
});

describe('runProgram', () => {
  it('returns stdout of a program that succeeds', async () => {
    const { stdout } = await runProgram('sh', ['-c', 'echo hello']);
    expect(stdout.toString()).toBe('hello\n');
  });

  it('passes arguments verbatim, never through a shell', async () => {
    const { stdout } = await runProgram('printf', ['%s|', '$HOME', 'a b', ';rm -rf /']);
    expect(stdout.toString()).toBe('$HOME|a b|;rm -rf /|');
  });

  it('rejects with the status and the last stderr lines when the program fails', async () => {
    const err = await runProgram('sh', ['-c', 'echo "no such source" >&2; exit 1']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProgramFailedError);
    expect((err as ProgramFailedError).message).toBe('sh exited with status 1: no such source');
    expect((err as ProgramFailedError).exit.code).toBe(1);
  });

  it('kills and reaps a program that runs past its time limit', async () => {
    const p = runProgram('sleep', ['30'], { timeoutMs: 100 });
    const pid = livePids()[0]; // spawned at once
    await expect(p).rejects.toThrow('sleep 30 did not finish within 100 ms');
    expect(pid).toBeDefined();
    expect(procState(pid!)).toBe('gone');
  });
});

describe('children left when Node exits', () => {
  // (A live child keeps Node's event loop alive, as an open device should, so Node never "just
  // exits" with children running: it exits through process.exit(), an exception, or a signal.)
  // The exit hook can only be observed from outside, so a separate Node process loads process.ts
  // (types stripped), starts `sleep 60`, prints its pid and then exits in one of several ways.
  let dir: string;
  let modulePath: string;

  async function runChild(ending: string, options = '{}'): Promise<{ sleepPid: number; code: number | null; signal: string | null }> {
    if (!dir) {
      dir = mkdtempSync(join(tmpdir(), 'mc-process-'));
      // process.ts and the one module it imports at run time, Node's timers (platform/timers.ts).
      const timers = await transformWithOxc(readFileSync('src/platform/timers.ts', 'utf8'), 'timers.ts', { lang: 'ts' });
      writeFileSync(join(dir, 'timers.mjs'), timers.code);
      const source = readFileSync('src/backends/common/process.ts', 'utf8').replace("'../../platform/timers.js'", "'./timers.mjs'");
      const { code } = await transformWithOxc(source, 'process.ts', { lang: 'ts' });
      modulePath = join(dir, 'process.mjs');
      writeFileSync(modulePath, code);
    }
    const script = `
      import { OwnedProcess } from ${JSON.stringify(modulePath)};
      const p = new OwnedProcess('sleep', ['60'], ${options});
      await p.started;
      process.stdout.write(String(p.pid) + '\\n');
      ${ending}
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const sleepPid = await new Promise<number>((resolve) => {
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('\n')) resolve(Number(out.trim()));
      });
    });
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
      child.once('exit', (c, s) => resolve([c, s])),
    );
    return { sleepPid, code, signal };
  }

  it('kills live children on process.exit()', async () => {
    const { sleepPid, code } = await runChild('process.exit(0);');
    expect(code).toBe(0);
    // Reparented to init and killed; init reaps it (or it shows as a zombie of init until then).
    expect(await waitNotRunning(sleepPid)).not.toBe('running');
  });

  it('lets Node exit while a keepAlive: false child runs, and kills the child then', async () => {
    const t0 = performance.now();
    const { sleepPid, code } = await runChild('', '{ keepAlive: false }');
    expect(code).toBe(0);
    // Node did not wait for the child: it exited before `sleep 60` would have ended.
    expect(performance.now() - t0).toBeLessThan(60_000);
    expect(await waitNotRunning(sleepPid)).not.toBe('running');
  });

  it('kills live children on SIGTERM, then dies of SIGTERM as Node would have', async () => {
    const { sleepPid, signal } = await runChild('process.kill(process.pid, "SIGTERM"); setTimeout(() => {}, 5000);');
    expect(signal).toBe('SIGTERM');
    expect(await waitNotRunning(sleepPid)).not.toBe('running');
  });

  it('leaves a signal to the application when it handles it, and kills the children when it exits', async () => {
    const { sleepPid, code } = await runChild(`
      process.on('SIGTERM', () => {
        // The child is still there while the application's handler runs.
        const alive = (() => { try { process.kill(p.pid, 0); return true; } catch { return false; } })();
        setImmediate(() => process.exit(alive ? 7 : 1));
      });
      process.kill(process.pid, 'SIGTERM');
      setTimeout(() => {}, 5000);
    `);
    expect(code).toBe(7);
    expect(await waitNotRunning(sleepPid)).not.toBe('running');
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
});
