/**
 * The raw input of an ffmpeg process: a Unix domain socket that this process listens on and
 * ffmpeg connects to (`-i unix:/tmp/…/media.sock`).
 *
 * Why a socket and not a pipe on fd 3: `OwnedProcess` (the one owner of every child process)
 * spawns with stdio `['ignore', 'pipe', 'pipe']`, so stdin and extra fds are not available to the
 * encoder. A socket carries the same byte stream with the same flow control.
 *
 * The queue is ours. Writes wait here, in order, and only one at a time is handed to the socket
 * (its callback says when the kernel has taken it, which for a frame larger than the socket
 * buffer means ffmpeg has read most of it). So what waits for ffmpeg is counted here, for each
 * kind of write (`pending`), the recorder can bound it, and on stop the writes ffmpeg has not
 * begun to read can be discarded (`discardQueued`) instead of waited for. Writes made before
 * ffmpeg connects wait here too; nothing ever blocks the event loop.
 */
import net from 'node:net';

/** What a write carries, for counting. */
export type WriteKind = 'video' | 'audio';

/** Writes of one kind waiting: their number and size. */
export interface PendingWrites {
  items: number;
  bytes: number;
}

/**
 * Makes the bytes that go before a write's data in the stream (a container's block header), when
 * the write is handed to the socket: a write discarded before that leaves no trace in the stream.
 */
export type Framing = (kind: WriteKind, timestamp: number, size: number) => Uint8Array;

interface QueuedWrite {
  readonly kind: WriteKind;
  readonly timestamp: number;
  readonly data: Uint8Array;
  readonly done: (taken: boolean) => void;
}

export class SocketInput {
  readonly path: string;
  readonly url: string;
  readonly listening: Promise<void>;
  /** Resolves once ffmpeg has opened this input, or it was closed. */
  readonly opened: Promise<void>;
  #resolveOpened!: () => void;
  #server: net.Server;
  #socket: net.Socket | null = null;
  /** Sent first on connection (a stream header), not counted as a write. */
  readonly #header: Uint8Array | null;
  readonly #framing: Framing | null;
  /** Writes not yet handed to the socket. */
  #queue: QueuedWrite[] = [];
  /** The write the socket is taking. */
  #inFlight: QueuedWrite | null = null;
  readonly #pending: Record<WriteKind, PendingWrites> = { video: { items: 0, bytes: 0 }, audio: { items: 0, bytes: 0 } };
  #ending = false;
  #closed = false;

  constructor(path: string, header: Uint8Array | null = null, framing: Framing | null = null) {
    this.path = path;
    this.url = `unix:${path}`;
    this.#header = header;
    this.#framing = framing;
    this.#server = net.createServer({ allowHalfOpen: false }, (socket) => this.#onConnection(socket));
    this.listening = new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(path, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.listening.catch(() => {});
    this.opened = new Promise((resolve) => (this.#resolveOpened = resolve));
  }

  /** Writes of `kind` accepted by write() whose `done` has not been called yet (queued or being taken). */
  pending(kind: WriteKind): PendingWrites {
    return { ...this.#pending[kind] };
  }

  /** The bytes of all pending writes. */
  get pendingBytes(): number {
    return this.#pending.video.bytes + this.#pending.audio.bytes;
  }

  /** True once end() or close() was called. */
  get ending(): boolean {
    return this.#ending || this.#closed;
  }

  /** True once ffmpeg has opened this input. */
  get connected(): boolean {
    return this.#socket !== null;
  }

  /**
   * Queues `data` (kept by reference until `done`) of `kind`, at `timestamp` (for the framing).
   * `done(taken)` says whether ffmpeg got the bytes (handed to the kernel) or they were let go.
   * After end() or close(), `done(false)` is called at once.
   */
  write(kind: WriteKind, timestamp: number, data: Uint8Array, done: (taken: boolean) => void): void {
    if (this.#ending || this.#closed) {
      done(false);
      return;
    }
    this.#pending[kind].items++;
    this.#pending[kind].bytes += data.byteLength;
    this.#queue.push({ kind, timestamp, data, done });
    this.#pump();
  }

  /**
   * Lets go of the queued writes not yet handed to the socket; returns how many (their `done` has
   * been called). Before ffmpeg has opened the input nothing is discarded: the writes are the start
   * of the recording, waiting for a program that is still starting, not a backlog.
   */
  discardQueued(): Record<WriteKind, PendingWrites> {
    const discarded = { video: { items: 0, bytes: 0 }, audio: { items: 0, bytes: 0 } };
    if (!this.#socket) return discarded;
    const dropped = this.#queue;
    this.#queue = [];
    for (const w of dropped) {
      discarded[w.kind].items++;
      discarded[w.kind].bytes += w.data.byteLength;
      this.#release(w, false);
    }
    this.#endIfDone();
    return discarded;
  }

  /**
   * Lets go of up to `count` of the oldest queued writes of `kind` not yet handed to the socket
   * (the queue then holds the newest); returns how many.
   */
  dropOldest(kind: WriteKind, count: number): number {
    let dropped = 0;
    this.#queue = this.#queue.filter((w) => {
      if (dropped >= count || w.kind !== kind) return true;
      dropped++;
      this.#release(w, false);
      return false;
    });
    return dropped;
  }

  /** No more data: ffmpeg sees the end of this input once it has read what was queued. */
  end(): void {
    if (this.#ending || this.#closed) return;
    this.#ending = true;
    this.#endIfDone();
  }

  /** Closes everything now; pending writes are released. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#resolveOpened();
    this.#server.close();
    this.#socket?.destroy();
    const queued = this.#queue;
    this.#queue = [];
    for (const w of queued) this.#release(w, false);
    if (this.#inFlight) this.#release(this.#inFlight, false);
    this.#inFlight = null;
  }

  #release(w: QueuedWrite, taken: boolean): void {
    this.#pending[w.kind].items--;
    this.#pending[w.kind].bytes -= w.data.byteLength;
    w.done(taken);
  }

  /** Hands the next write to the socket once the one before has been taken. */
  #pump(): void {
    const socket = this.#socket;
    if (!socket || this.#inFlight || this.#closed) return;
    const w = this.#queue.shift();
    if (!w) {
      this.#endIfDone();
      return;
    }
    this.#inFlight = w;
    // The callback of the last part runs once all parts are handed to the kernel, or with an
    // error when the connection is gone (ffmpeg exited); either way the bytes may go.
    const taken = (error?: Error | null) => {
      if (this.#inFlight !== w) return;
      this.#inFlight = null;
      this.#release(w, !error);
      this.#pump();
    };
    if (!this.#framing) socket.write(w.data, taken);
    else {
      socket.cork();
      socket.write(this.#framing(w.kind, w.timestamp, w.data.byteLength));
      socket.write(w.data, taken);
      socket.uncork();
    }
  }

  #endIfDone(): void {
    if (this.#ending && this.#socket && !this.#inFlight && this.#queue.length === 0 && !this.#socket.writableEnded) this.#socket.end();
  }

  #onConnection(socket: net.Socket): void {
    // ffmpeg connects once; later connections (there should be none) are refused.
    if (this.#socket || this.#closed) {
      socket.destroy();
      return;
    }
    this.#socket = socket;
    this.#resolveOpened();
    this.#server.close();
    // EPIPE / ECONNRESET when ffmpeg dies: its exit is reported by the process owner.
    socket.on('error', () => {});
    if (this.#header) socket.write(this.#header);
    this.#pump();
  }
}
