/**
 * Talking to the PulseAudio server through `pactl` (pulseaudio-utils): one-shot queries, and one
 * shared `pactl subscribe` process for change events.
 *
 * Which server: libpulse's usual rules (PULSE_SERVER, then XDG_RUNTIME_DIR/pulse/native, …) on
 * the environment at the time of each call, so a test setup that sets PULSE_SERVER is honoured.
 * LC_ALL=C is forced: pactl's text output and parec's messages are translated otherwise.
 */
import { OwnedProcess, runProgram } from '../common/process.js';
import { cLocale } from '../common/sound-server.js';
import { parsePactlInfo, parsePactlList, parseSubscribeLine, type PulseEvent } from './pactl-text.js';
import type { PulseInventory } from './descriptors.js';

/** The environment for pactl and parec: the caller's (or process.env), in the C locale. */
export const pulseEnv: (base?: NodeJS.ProcessEnv) => NodeJS.ProcessEnv = cLocale;

export class Pactl {
  readonly #env: (() => NodeJS.ProcessEnv) | undefined;

  /** @param env the environment to run pactl in; default process.env at the time of each call. */
  constructor(env?: () => NodeJS.ProcessEnv) {
    this.#env = env;
  }

  get env(): NodeJS.ProcessEnv {
    return pulseEnv(this.#env?.() ?? process.env);
  }

  /** Runs `pactl <args>` and returns its stdout. Rejects with the program's error when it fails. */
  async run(args: readonly string[], timeoutMs = 5000): Promise<string> {
    const { stdout } = await runProgram('pactl', args, { env: this.env, timeoutMs });
    return stdout.toString('utf8');
  }

  /** Sources, sinks and server info, queried in parallel. */
  async inventory(): Promise<PulseInventory> {
    const [sources, sinks, info] = await Promise.all([
      this.run(['list', 'sources']),
      this.run(['list', 'sinks']),
      this.run(['info']),
    ]);
    return { sources: parsePactlList(sources), sinks: parsePactlList(sinks), info: parsePactlInfo(info) };
  }
}

/**
 * One `pactl subscribe` process, shared by every listener, running while there is at least one.
 *
 * pactl prints nothing when its subscription is in place, so events in the first few
 * milliseconds after the start are missed; {@link PulseEvents.ready} waits until one is seen.
 * If the process dies (the server went away), listeners get a synthetic "change on server"
 * event and it is restarted a second later, as long as anyone listens.
 */
export class PulseEvents {
  readonly #pactl: Pactl;
  readonly #listeners = new Set<(event: PulseEvent) => void>();
  #proc: OwnedProcess | undefined;
  #partial = '';
  #seenEvent = false;
  #restartTimer: NodeJS.Timeout | undefined;

  constructor(pactl: Pactl) {
    this.#pactl = pactl;
  }

  get listening(): boolean {
    return this.#listeners.size > 0;
  }

  /** The pid of the `pactl subscribe` process, while one runs. */
  get pid(): number | undefined {
    return this.#proc?.running ? this.#proc.pid : undefined;
  }

  /** Calls `listener` with every event until the returned function is called. */
  subscribe(listener: (event: PulseEvent) => void): () => void {
    this.#listeners.add(listener);
    if (!this.#proc && !this.#restartTimer) this.#start();
    return () => {
      if (!this.#listeners.delete(listener)) return;
      if (this.#listeners.size === 0) this.#stop();
    };
  }

  /**
   * Resolves once the subscription is known to be in place: the first event has arrived. Makes
   * events happen by running `pactl stat` (each pactl connection is a "new client" event) until
   * one does, for at most `timeoutMs`.
   */
  async ready(timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.#seenEvent) {
      if (!this.#proc || Date.now() > deadline) throw new Error('pactl subscribe is not running or saw no event');
      await this.#pactl.run(['stat']).catch(() => {});
      if (!this.#seenEvent) await new Promise((r) => setTimeout(r, 20));
    }
  }

  #start(): void {
    this.#partial = '';
    this.#seenEvent = false;
    const proc = new OwnedProcess('pactl', ['subscribe'], {
      env: this.#pactl.env,
      killGraceMs: 500,
      // Watching for devices must not keep Node running (an ondevicechange handler doesn't in a
      // browser either); the exit hook ends it.
      keepAlive: false,
      onUnexpectedExit: () => {
        if (this.#proc !== proc) return;
        this.#proc = undefined;
        this.#emit({ type: 'change', facility: 'server', index: 0xffffffff });
        if (this.#listeners.size > 0) {
          this.#restartTimer = setTimeout(() => {
            this.#restartTimer = undefined;
            if (this.#listeners.size > 0 && !this.#proc) this.#start();
          }, 1000);
          this.#restartTimer.unref();
        }
      },
    });
    this.#proc = proc;
    proc.started.catch(() => {
      // pactl missing: nothing to watch. enumerate() reports the same problem.
      if (this.#proc === proc) this.#proc = undefined;
    });
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (text: string) => {
      const lines = (this.#partial + text).split('\n');
      this.#partial = lines.pop() ?? '';
      for (const line of lines) {
        const event = parseSubscribeLine(line);
        if (!event) continue;
        this.#seenEvent = true;
        this.#emit(event);
      }
    });
  }

  #stop(): void {
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    const proc = this.#proc;
    this.#proc = undefined;
    void proc?.kill();
  }

  #emit(event: PulseEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }
}
