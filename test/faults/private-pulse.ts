/**
 * A PulseAudio server of one test file's own, to kill: never the shared one of
 * scripts/services.sh, which other test files use at the same time. It runs in the foreground
 * as our child (so the pid we kill is one we started), with its runtime directory, state,
 * HOME and socket in a temporary directory, and one device: a null sink, whose monitor is the
 * default source. The quirks of running pulseaudio this way are written down in
 * scripts/services.sh.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OwnedProcess, onPath, runProgram } from '../../src/backends/common/process.js';
import { scaled } from '../helpers/wait.js';

export interface PrivatePulse {
  /** `unix:<socket>`: what PULSE_SERVER says to reach it. */
  readonly server: string;
  /** The environment pactl and parec need to reach it (and only it). */
  readonly env: NodeJS.ProcessEnv;
  /** The server process. */
  readonly proc: OwnedProcess;
  /** Kills the server at once (SIGKILL), as a crash would, and waits until it is reaped. */
  kill(): Promise<void>;
  /** Starts a server again on the same socket (after `kill`). */
  restart(): Promise<PrivatePulse>;
  /** Ends the server if it runs and removes its directory. */
  close(): Promise<void>;
}

/** Whether the programs are installed. */
export function canRunPulse(): boolean {
  return onPath('pulseaudio') && onPath('pactl') && onPath('parec');
}

/**
 * A null sink whose monitor is the default source: it delivers 10 ms chunks (a sine source
 * delivers 2 s blocks, see src/backends/pulse/descriptors.ts).
 */
const SCRIPT = `load-module module-native-protocol-unix auth-anonymous=1 socket=SOCKET
load-module module-null-sink sink_name=mc_private_null rate=48000 channels=2
set-default-source mc_private_null.monitor
set-default-sink mc_private_null
`;

/** Starts a private server; resolves once `pactl info` gets an answer from it. */
export async function startPrivatePulse(dir: string = mkdtempSync(join(tmpdir(), 'mediacapture-pulse-'))): Promise<PrivatePulse> {
  const runtime = join(dir, 'runtime');
  const socket = join(dir, 'native');
  for (const d of [runtime, join(dir, 'state'), join(dir, 'home')]) mkdirSync(d, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'private.pa'), SCRIPT.replace('SOCKET', socket));
  const daemonEnv: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_RUNTIME_DIR: runtime,
    PULSE_STATE_PATH: join(dir, 'state'),
    HOME: join(dir, 'home'),
    XDG_CONFIG_HOME: join(dir, 'home', '.config'),
    LC_ALL: 'C',
  };
  delete daemonEnv.PULSE_SERVER;
  delete daemonEnv.PULSE_COOKIE;
  const proc = new OwnedProcess(
    'pulseaudio',
    ['-n', '--daemonize=no', '--system=false', '--exit-idle-time=-1', '--no-cpu-limit=yes', '--high-priority=no', '--realtime=no', '--use-pid-file=no', '--log-target=stderr', '-F', join(dir, 'private.pa')],
    { env: daemonEnv, killGraceMs: 2000 },
  );
  const server = `unix:${socket}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PULSE_SERVER: server, PULSE_COOKIE: join(dir, 'state', 'cookie'), XDG_RUNTIME_DIR: runtime };
  // Ready when it answers; each try is a pactl run that ends (no fixed sleep in between).
  const deadline = Date.now() + scaled(10_000);
  for (;;) {
    if (!proc.running) throw new Error(`pulseaudio exited at start: ${proc.stderrTail}`);
    try {
      await runProgram('pactl', ['info'], { env: { ...env, LC_ALL: 'C' }, timeoutMs: 2000 });
      break;
    } catch (e) {
      if (Date.now() > deadline) {
        await proc.kill();
        throw new Error(`pulseaudio did not answer on ${server}: ${(e as Error).message}; ${proc.stderrTail}`);
      }
      await new Promise((r) => setImmediate(r));
    }
  }
  const pulse: PrivatePulse = {
    server,
    env,
    proc,
    async kill() {
      proc.killNow();
      await proc.exited;
    },
    restart: () => startPrivatePulse(dir),
    async close() {
      await proc.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return pulse;
}
