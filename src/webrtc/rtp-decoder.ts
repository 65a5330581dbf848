/**
 * The receiving half of the media path: RTP packets from the WebRTC stack → werift's jitter buffer
 * (reorders, reports losses) and depacketizer (whole VP8 frames; Opus packets are whole already)
 * → ffmpeg, which decodes → `VideoFrame`s (I420) and `AudioData` (f32-planar, 48 kHz).
 *
 * ffmpeg reads the codec frames in a container on a Unix socket (IVF for VP8, Ogg for Opus:
 * containers.ts) and writes raw pictures or samples to its stdout. Raw video carries no size, so
 * the decoder runs at the size the last VP8 key frame declares, and is restarted (at a key frame)
 * when that changes. Raw output carries no timestamps either: ffmpeg decodes one picture per
 * frame, in order, so the timestamps wait in a queue for their pictures.
 *
 * Timestamps (µs) are on `performance.now()`'s timeline: the first frame's arrival, plus RTP time
 * since then, so a remote track's frames are spaced as the sender made them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RtpPacket } from 'werift';
import { ByteChunker } from '../backends/common/chunker.js';
import { OwnedProcess } from '../backends/common/process.js';
import { ffmpegPath } from '../backends/ffmpeg/probe.js';
import { SocketInput } from '../backends/ffmpeg/socket-input.js';
import { BufferPool } from '../media/buffer-pool.js';
import type { MediaKind } from '../media/modes.js';
import type { AudioData } from '../webcodecs/audio-data.js';
import { REC601_COLOR_SPACE, audioDataFromBuffer, videoFrameFromPlanes } from '../webcodecs/internal.js';
import type { VideoFrame } from '../webcodecs/video-frame.js';
import { ivfFrameHeader, ivfHeader, OggOpusWriter, opusPacketSamples, vp8KeyFrameSize } from './containers.js';
import type { Werift } from './stack.js';
import { monotonicNow } from '../platform/timers.js';

/** How long the jitter buffer waits for a late packet before declaring it lost (ms). */
const JITTER_LATENCY_MS = 60;
/** Least time between two key-frame requests (ms). */
const KEY_FRAME_REQUEST_MS = 500;
/** Audio comes out in 10 ms chunks, like the capture backends'. */
const AUDIO_CHUNK_FRAMES = 480;

/** Options of {@link RtpDecoder}. */
export interface RtpDecoderOptions {
  readonly kind: MediaKind;
  /** Receives each decoded frame or chunk of audio (taken over). */
  readonly onMedia: (media: VideoFrame | AudioData) => void;
  /** The decoder needs a key frame: send the peer a PLI. */
  readonly onKeyFrameNeeded: () => void;
  readonly onError?: (message: string) => void;
}

interface Run {
  /** Null until the input socket listens (ffmpeg connects to it at once). */
  process: OwnedProcess | null;
  readonly input: SocketInput;
  readonly dir: string;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  /** Timestamps (µs) of the frames written, waiting for their pictures. */
  readonly pending: number[];
}

/** Decodes one remote track's RTP (see the module comment). */
export class RtpDecoder {
  readonly kind: MediaKind;
  readonly #options: RtpDecoderOptions;
  readonly #jitter: InstanceType<Werift['JitterBufferCallback']>;
  readonly #depacketizer: InstanceType<Werift['DepacketizeCallback']> | null;
  #run: Run | null = null;
  #closed = false;
  #lastKeyFrameRequest = 0;
  /** monotonicNow() (ms) and RTP timestamp of the first frame: the timeline's origin. */
  #origin: { wall: number; rtp: number } | null = null;
  #lastRtp = 0;
  /** RTP time unwrapped past 2^32. */
  #rtpHigh = 0;
  #ogg: OggOpusWriter | null = null;
  #granule = 0;
  #audioTime: number | null = null;
  /** Counters for stats and tests. */
  framesReceived = 0;
  framesDecoded = 0;
  packetsLost = 0;

  constructor(werift: Werift, options: RtpDecoderOptions) {
    this.kind = options.kind;
    this.#options = options;
    const video = options.kind === 'video';
    this.#jitter = new werift.JitterBufferCallback(video ? 90000 : 48000, { latency: JITTER_LATENCY_MS });
    if (video) {
      const depacketizer = new werift.DepacketizeCallback('vp8', { isFinalPacketInSequence: (h) => h.marker, waitForKeyframe: true });
      depacketizer.onNeedKeyFrame.subscribe(() => this.#needKeyFrame());
      depacketizer.pipe((out) => out.frame && this.#videoFrame(out.frame.data, out.frame.isKeyframe, out.frame['timestamp'] as number));
      this.#depacketizer = depacketizer;
    } else {
      this.#depacketizer = null;
    }
    this.#jitter.pipe((out) => {
      if (out.isPacketLost) {
        this.packetsLost += ((out.isPacketLost.to - out.isPacketLost.from + 0x10000) & 0xffff) + 1;
        if (video) this.#needKeyFrame();
      }
      if (!out.rtp) return;
      if (this.#depacketizer) this.#depacketizer.input({ rtp: out.rtp, time: monotonicNow() });
      else this.#audioPacket(out.rtp.payload, out.rtp.header.timestamp);
    });
  }

  /** Feeds one RTP packet of the track. */
  input(packet: RtpPacket): void {
    if (this.#closed || packet.payload.length === 0) return;
    this.#jitter.input({ rtp: packet });
  }

  /** Stops decoding: the process ends, the sockets close. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#jitter.destroy();
    this.#depacketizer?.destroy();
    const run = this.#run;
    this.#run = null;
    if (run) await stopRun(run);
  }

  #needKeyFrame(): void {
    const now = monotonicNow();
    if (now - this.#lastKeyFrameRequest < KEY_FRAME_REQUEST_MS) return;
    this.#lastKeyFrameRequest = now;
    this.#options.onKeyFrameNeeded();
  }

  /** The presentation time (µs) of RTP timestamp `rtp` on this track's timeline. */
  #timeOf(rtp: number, clockRate: number): number {
    if (this.#origin === null) {
      this.#origin = { wall: monotonicNow(), rtp };
      this.#lastRtp = rtp;
    }
    // Unwrap: a timestamp far below the last one has wrapped past 2^32.
    if (rtp < this.#lastRtp && this.#lastRtp - rtp > 0x80000000) this.#rtpHigh += 0x100000000;
    this.#lastRtp = rtp;
    const ticks = this.#rtpHigh + rtp - this.#origin.rtp;
    return Math.round(this.#origin.wall * 1000 + (ticks * 1e6) / clockRate);
  }

  #videoFrame(data: Buffer, isKeyFrame: boolean, rtpTimestamp: number): void {
    if (this.#closed) return;
    this.framesReceived++;
    const size = isKeyFrame ? vp8KeyFrameSize(data) : null;
    if (size && (this.#run === null || size.width !== this.#run.width || size.height !== this.#run.height)) {
      if (this.#run) void stopRun(this.#run);
      this.#run = this.#startVideo(size.width, size.height);
    }
    const run = this.#run;
    if (!run) return this.#needKeyFrame();
    const time = this.#timeOf(rtpTimestamp, 90000);
    run.pending.push(time);
    run.input.write('video', ((time - this.#origin!.wall * 1000) * 9) / 100, data, () => {});
  }

  #audioPacket(payload: Buffer, rtpTimestamp: number): void {
    if (this.#closed) return;
    this.framesReceived++;
    if (this.#run === null) {
      // The first packet's TOC byte says mono or stereo (RFC 6716 §3.1, the "s" bit).
      const channels = payload[0]! & 0x04 ? 2 : 1;
      this.#ogg = new OggOpusWriter();
      this.#audioTime = this.#timeOf(rtpTimestamp, 48000);
      this.#run = this.#startAudio(channels);
    }
    this.#granule += opusPacketSamples(payload);
    this.#run.input.write('audio', 0, this.#ogg!.page(payload, this.#granule), () => {});
  }

  #startVideo(width: number, height: number): Run {
    const dir = mkdtempSync(join(tmpdir(), 'mediacapture-rtp-'));
    const input = new SocketInput(join(dir, 'frames.sock'), ivfHeader(width, height), (_kind, pts, size) => ivfFrameHeader(size, pts));
    // `-threads 1` twice: one decoder thread, and one thread for the rawvideo "encoder" of the
    // output, which ffmpeg 5.1 otherwise runs frame-threaded (one thread per core): it then hands
    // each picture out only when the next frame comes in, one or two frames late (a steady 33–68
    // ms at 30 fps; test/webrtc/latency.test.ts).
    const args = ['-threads', '1', '-f', 'ivf', '-i', input.url, '-threads', '1', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${width}x${height}`, '-fps_mode', 'passthrough', 'pipe:1'];
    const frameSize = width * height + 2 * ((width + 1) >> 1) * ((height + 1) >> 1);
    const pool = new BufferPool(frameSize, { limit: 8 });
    const run: Run = { process: null, input, dir, width, height, channels: 0, pending: [] };
    const chunker = new ByteChunker(frameSize, pool.take.bind(pool), (unit) => {
      if (this.#run !== run || this.#closed) return pool.give(unit);
      const timestamp = run.pending.shift() ?? Math.round(monotonicNow() * 1000);
      this.framesDecoded++;
      this.#options.onMedia(
        videoFrameFromPlanes({ format: 'I420', codedWidth: width, codedHeight: height, timestamp, data: unit, colorSpace: REC601_COLOR_SPACE, release: pool.give }),
      );
    });
    this.#spawn(run, args, chunker);
    return run;
  }

  #startAudio(channels: number): Run {
    const dir = mkdtempSync(join(tmpdir(), 'mediacapture-rtp-'));
    const input = new SocketInput(join(dir, 'packets.sock'), this.#ogg!.header(2));
    const args = ['-f', 'ogg', '-i', input.url, '-f', 'f32le', '-ar', '48000', '-ac', String(channels), 'pipe:1'];
    const chunkBytes = AUDIO_CHUNK_FRAMES * channels * 4;
    const run: Run = { process: null, input, dir, width: 0, height: 0, channels, pending: [] };
    const chunker = new ByteChunker(chunkBytes, () => new Uint8Array(chunkBytes), (unit) => {
      if (this.#run !== run || this.#closed) return;
      const planar = new Float32Array(AUDIO_CHUNK_FRAMES * channels);
      const src = new Float32Array(unit.buffer, unit.byteOffset, AUDIO_CHUNK_FRAMES * channels);
      for (let c = 0; c < channels; c++) for (let i = 0; i < AUDIO_CHUNK_FRAMES; i++) planar[c * AUDIO_CHUNK_FRAMES + i] = src[i * channels + c]!;
      const timestamp = Math.round(this.#audioTime!);
      this.#audioTime! += (AUDIO_CHUNK_FRAMES * 1e6) / 48000;
      this.framesDecoded++;
      this.#options.onMedia(
        audioDataFromBuffer({ format: 'f32-planar', sampleRate: 48000, numberOfFrames: AUDIO_CHUNK_FRAMES, numberOfChannels: channels, timestamp, data: new Uint8Array(planar.buffer) }),
      );
    });
    this.#spawn(run, args, chunker);
    return run;
  }

  /** Starts the run's ffmpeg once its input listens; its stdout goes to `chunker`. */
  #spawn(run: Run, outputArgs: string[], chunker: ByteChunker): void {
    run.input.listening.then(
      () => {
        if (this.#run !== run || this.#closed) return;
        run.process = this.#launch(run, outputArgs);
        run.process.stdout.on('data', (chunk: Buffer) => chunker.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
      },
      (error: Error) => this.#options.onError?.(error.message),
    );
  }

  #launch(run: Run, outputArgs: string[]): OwnedProcess {
    // No `-fflags nobuffer`: with it ffmpeg 5.1 fails on every frame of Chromium's VP8 stream
    // ("Invalid data found when processing input"), though it decodes libvpx's (quirks.test.ts).
    const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-probesize', '32', '-analyzeduration', '0', '-flags', 'low_delay', ...outputArgs];
    const proc = new OwnedProcess(ffmpegPath(), args, {
      debianPackage: 'ffmpeg',
      killGraceMs: 500,
      stderrTailBytes: 2048,
      onUnexpectedExit: (exit) => {
        if (this.#run === run && !this.#closed) this.#options.onError?.(proc.describeExit(exit));
      },
    });
    proc.started.catch((error: Error) => this.#options.onError?.(error.message));
    return proc;
  }
}

async function stopRun(run: Run): Promise<void> {
  run.input.close();
  await run.process?.kill();
  rmSync(run.dir, { recursive: true, force: true });
}
