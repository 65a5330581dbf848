/**
 * One raw input of an ffmpeg process: a Unix domain socket that this process listens on and
 * ffmpeg connects to (`-i unix:/tmp/…/video.sock`).
 *
 * Why a socket and not a pipe on fd 3: `OwnedProcess` (the one owner of every child process)
 * spawns with stdio `['ignore', 'pipe', 'pipe']`, so stdin and extra fds are not available to the
 * encoder. A socket carries the same byte stream with the same flow control: writes wait in the
 * socket's buffer until ffmpeg reads, the callback of each write tells when its bytes are gone,
 * and the owner counts what is still pending (`pendingBytes`) to bound memory. ffmpeg opens its
 * inputs one after another and reads the first before connecting to the second, so writes made
 * before ffmpeg connects are held here and sent on connection; nothing ever blocks the event loop.
 */
import net from 'node:net';

interface PendingWrite {
  data: Uint8Array;
  done: () => void;
}

export class SocketInput {
  readonly path: string;
  readonly url: string;
  #server: net.Server;
  #socket: net.Socket | null = null;
  #beforeConnect: PendingWrite[] = [];
  #pendingBytes = 0;
  #ending = false;
  #closed = false;
  readonly listening: Promise<void>;

  constructor(path: string) {
    this.path = path;
    this.url = `unix:${path}`;
    this.#server = net.createServer({ allowHalfOpen: false }, (socket) => this.#onConnection(socket));
    this.listening = new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(path, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.listening.catch(() => {});
  }

  /** Bytes accepted by write() whose `done` has not been called yet. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /** True once end() or close() was called. */
  get ending(): boolean {
    return this.#ending || this.#closed;
  }

  get connected(): boolean {
    return this.#socket !== null;
  }

  /** Sends `data` (kept by reference until `done`). After end() or close(), `done` is called at once. */
  write(data: Uint8Array, done: () => void): void {
    if (this.#ending || this.#closed) {
      done();
      return;
    }
    this.#pendingBytes += data.byteLength;
    const finish = () => {
      this.#pendingBytes -= data.byteLength;
      done();
    };
    if (this.#socket) this.#send(this.#socket, data, finish);
    else this.#beforeConnect.push({ data, done: finish });
  }

  /** No more data: ffmpeg sees the end of this input once it has read what was written. */
  end(): void {
    if (this.#ending || this.#closed) return;
    this.#ending = true;
    if (this.#socket) this.#socket.end();
  }

  /** Closes everything now; pending writes are released. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#server.close();
    this.#socket?.destroy();
    this.#releaseBeforeConnect();
  }

  #send(socket: net.Socket, data: Uint8Array, done: () => void): void {
    // The callback runs once the bytes are handed to the kernel, or with an error when the
    // connection is gone (ffmpeg exited); either way the caller may let the bytes go.
    socket.write(data, () => done());
  }

  #onConnection(socket: net.Socket): void {
    // ffmpeg connects once; later connections (there should be none) are refused.
    if (this.#socket || this.#closed) {
      socket.destroy();
      return;
    }
    this.#socket = socket;
    this.#server.close();
    // EPIPE / ECONNRESET when ffmpeg dies: its exit is reported by the process owner.
    socket.on('error', () => {});
    const queued = this.#beforeConnect;
    this.#beforeConnect = [];
    for (const w of queued) this.#send(socket, w.data, w.done);
    if (this.#ending) socket.end();
  }

  #releaseBeforeConnect(): void {
    const queued = this.#beforeConnect;
    this.#beforeConnect = [];
    for (const w of queued) w.done();
  }
}
