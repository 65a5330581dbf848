/**
 * Our side of one wrtc host process (host.ts): starts it, sends it commands and media, hears its
 * events and media, notices when it dies, and ends it.
 *
 * Ending it: after `close()` the host is killed with SIGKILL (wrtc's exit path after
 * `pc.close()` may segfault, and that must not show), and `closed` resolves once it has been
 * reaped, so nothing of it remains. An exit we did not ask for (a crash, a kill from outside) is
 * reported once to `onExit` with a message that names the signal or status and the last lines the
 * host wrote to stderr. If our process exits first, a hook kills every live host synchronously;
 * if it is killed, the host sees its IPC channel close and kills itself.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { notSupported } from '../../platform/errors.js';
import { clearTimeout, setTimeout } from '../../platform/timers.js';
import { MediaReader, type MediaRecord, mediaHeader, type Command, type CommandBody, type HostEvent, type Reply } from './protocol.js';

// This module's URL (the CommonJS build rewrites `import.meta.url`: see scripts/build-cjs.mjs).
// biome-ignore lint/suspicious/noTsIgnore: the error exists in the CommonJS build only, so @ts-expect-error would fail the ESM one.
// @ts-ignore TS1343
const MODULE_URL: string = import.meta.url;

/** How long close() waits for the host to close its connection before it kills it anyway. */
const CLOSE_GRACE_MS = 2000;
/** The stderr the host wrote last, kept for error messages. */
const STDERR_TAIL_BYTES = 2048;

/**
 * The compiled host script: beside this module in the package; when this module runs from its
 * TypeScript sources (under Vitest), the one of the build (`npm run build`).
 */
export function hostScriptPath(): string {
  const beside = fileURLToPath(new URL('./host.js', MODULE_URL));
  if (!MODULE_URL.endsWith('.ts')) return beside;
  return fileURLToPath(new URL('../../../dist/webrtc/wrtc/host.js', MODULE_URL));
}

const live = new Set<ChildProcess>();
let hookInstalled = false;

function killLiveHosts(): void {
  for (const child of live) child.kill('SIGKILL');
}

/** Callbacks of a host. */
export interface HostHandlers {
  readonly event: (event: HostEvent) => void;
  readonly media: (record: MediaRecord) => void;
  /** The host ended without close(): `message` says how. */
  readonly exit: (message: string) => void;
}

/** One running host (see the module comment). */
export class HostProcess {
  readonly #child: ChildProcess;
  readonly #media: Socket;
  readonly #handlers: HostHandlers;
  readonly #pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  #seq = 0;
  #stderr = '';
  #closing = false;
  #failure: string | null = null;
  readonly #exited: Promise<void>;

  /** NotSupportedError when the host script has not been built. */
  constructor(wrtcPath: string, handlers: HostHandlers) {
    const script = hostScriptPath();
    if (!existsSync(script)) throw notSupported(`The wrtc host script ${script} is missing: build the package (npm run build).`);
    this.#handlers = handlers;
    // In a process group of its own (detached), so that a terminal's Ctrl-C reaches only our
    // process, which may then close its connections in order; the exit hook and the host's own
    // watch on the IPC channel still end it.
    this.#child = fork(script, [wrtcPath], { stdio: ['ignore', 'ignore', 'pipe', 'ipc', 'pipe'], serialization: 'json', execArgv: [], detached: true });
    live.add(this.#child);
    if (!hookInstalled) {
      hookInstalled = true;
      process.on('exit', killLiveHosts);
    }
    this.#media = this.#child.stdio[4] as Socket;
    const reader = new MediaReader(handlers.media);
    this.#media.on('data', (chunk: Buffer) => reader.push(chunk));
    this.#media.on('error', () => {});
    this.#child.stderr!.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-STDERR_TAIL_BYTES);
    });
    this.#child.on('message', (message: Reply | HostEvent) => this.#onMessage(message));
    this.#child.on('error', () => {});
    this.#exited = new Promise((resolve) =>
      this.#child.once('exit', (code, signal) => {
        live.delete(this.#child);
        this.#media.destroy();
        this.#child.stderr!.destroy();
        if (this.#closing) this.#rejectPending('The connection is closed.');
        else this.#fail(`The wrtc host process (pid ${this.#child.pid}) ended ${signal ? `by ${signal}` : `with status ${code}`}${this.#stderr.trim() ? `: ${this.#stderr.trim()}` : ''}`);
        resolve();
      }),
    );
  }

  /** The host's pid (for tests). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Why the host is gone, when it ended without close(). */
  get failure(): string | null {
    return this.#failure;
  }

  /** Sends a command; resolves with its reply (whose `error` the caller turns into an exception). */
  request(command: CommandBody): Promise<Reply> {
    if (this.#failure !== null) return Promise.reject(new Error(this.#failure));
    if (this.#closing) return Promise.reject(new Error('The connection is closed.'));
    const seq = ++this.#seq;
    return new Promise((resolve, reject) => {
      this.#pending.set(seq, { resolve, reject });
      this.#child.send({ ...command, seq } as Command);
    });
  }

  /**
   * Writes a media record. False (nothing written) when `droppable` and the pipe is backed up:
   * the host has fallen behind, and a video frame is better dropped than queued. `written` runs
   * once the socket is done with `payload`.
   */
  writeMedia(type: number, id: number, a: number, b: number, c: number, payload: Uint8Array, droppable: boolean, written: () => void): boolean {
    if (this.#failure !== null || this.#closing || (droppable && this.#media.writableNeedDrain)) return false;
    this.#media.write(mediaHeader(type, id, a, b, c, payload.byteLength));
    this.#media.write(payload, () => written());
    return true;
  }

  /** Closes the host's connection, then kills it; resolves once it has been reaped. */
  async close(): Promise<void> {
    if (this.#closing) return this.#exited;
    if (this.#failure === null) {
      const closed = this.request({ op: 'close' }).catch(() => {});
      this.#closing = true;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(() => resolve(), CLOSE_GRACE_MS)))]);
      clearTimeout(timer);
    }
    this.#closing = true;
    this.#child.kill('SIGKILL');
    await this.#exited;
  }

  #onMessage(message: Reply | HostEvent): void {
    if ('reply' in message) {
      const pending = this.#pending.get(message.reply);
      this.#pending.delete(message.reply);
      pending?.resolve(message);
    } else {
      this.#handlers.event(message);
    }
  }

  #fail(message: string): void {
    this.#failure = message;
    this.#rejectPending(message);
    this.#handlers.exit(message);
  }

  #rejectPending(message: string): void {
    for (const { reject } of this.#pending.values()) reject(new Error(message));
    this.#pending.clear();
  }
}
