/**
 * The sending half of the media path: a track's frames or samples → ffmpeg (libvpx VP8 or libopus)
 * → RTP packets, handed to the WebRTC stack, which encrypts and sends them.
 *
 * ffmpeg reads the raw media with timestamps (the recorder's live Matroska stream on a Unix
 * socket) and writes RTP to a UDP socket of ours on 127.0.0.1: its RTP muxer packetizes VP8 (RFC
 * 7741) and Opus (RFC 7587) and sets the marker bit on the last packet of each video frame, which
 * werift's depacketizer (and browsers') need to find frame ends. Nothing else listens there, and
 * ffmpeg's RTCP sender reports, sent to the same port, are dropped: the stack makes its own.
 *
 * One ffmpeg process per run: a run is restarted when the picture size changes or when the bitrate
 * the peer asks for moves far from the encoder's. Across runs the packets keep one sequence number
 * space and one timeline (each run's RTP timestamps are moved to follow on from the last), so the
 * receiver sees one stream.
 *
 * Key frames on request (the peer's PLI): ffmpeg has no way to be asked for one while it runs
 * (`-force_key_frames source` follows the input's key-frame flags, but ffmpeg 5.1's rawvideo
 * decoder marks every frame a key frame, so every output frame was one: tried while writing
 * test/webrtc/encoder.test.ts), so the encoder is restarted, at
 * most once every {@link KEY_FRAME_RESTART_MS} ms; a new run starts with a key frame. Other key
 * frames: one every {@link KEY_FRAME_INTERVAL_S} seconds, so a receiver that missed one recovers.
 *
 * Encoder settings (measured on a busy 2-core machine, issue #12): libvpx realtime with
 * `-cpu-used 8 -lag-in-frames 0 -error-resilient 1 -threads 1` (two threads cost six times the
 * CPU there); libopus `-application lowdelay` with 20 ms frames.
 */
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AudioConverter, i420Bytes } from '../algorithms/recorder/raw-media.js';
import { OwnedProcess, type ProcessExit } from '../backends/common/process.js';
import { ffmpegPath } from '../backends/ffmpeg/probe.js';
import { RawMatroskaWriter } from '../backends/ffmpeg/raw-matroska.js';
import { SocketInput } from '../backends/ffmpeg/socket-input.js';
import type { MediaKind } from '../media/modes.js';
import type { AudioData } from '../webcodecs/audio-data.js';
import type { VideoFrame } from '../webcodecs/video-frame.js';
import { monotonicNow } from '../platform/timers.js';

/** Seconds between the key frames sent unasked. */
export const KEY_FRAME_INTERVAL_S = 3;
/** Least time between two restarts for key-frame requests, in ms. */
export const KEY_FRAME_RESTART_MS = 1000;
/** The RTP clock rates: 90 kHz for video, 48 kHz for Opus. */
const CLOCK_RATE: Record<MediaKind, number> = { video: 90000, audio: 48000 };
/** The largest RTP packet ffmpeg makes: below a 1280-byte path MTU with SRTP and extensions. */
const PACKET_SIZE = 1100;
/** Frames that may wait for the encoder before new ones are dropped (it fell behind). */
const MAX_QUEUED_FRAMES = 2;
/** Audio chunks (10 ms each) that may wait for the encoder. */
const MAX_QUEUED_AUDIO = 20;
/** Least time between two restarts for a bitrate change, in ms. */
const BITRATE_RESTART_MS = 5000;

/** Options of {@link RtpEncoder}. */
export interface RtpEncoderOptions {
  readonly kind: MediaKind;
  /** Receives each RTP packet, in order (its SSRC and payload type are the stack's to set). */
  readonly onPacket: (packet: Buffer) => void;
  /** The encoder failed (ffmpeg exited, or could not start). */
  readonly onError?: (message: string) => void;
  /** The track's contentHint: "detail"/"text" favour sharpness, "speech"/"music" pick Opus's mode. */
  readonly contentHint?: string;
}

/** A video or audio encoder run: one ffmpeg process at one picture size (or sample format). */
interface Run {
  readonly width: number;
  readonly height: number;
  readonly bitrate: number;
  readonly process: OwnedProcess;
  readonly input: SocketInput;
  readonly socket: dgram.Socket;
  readonly dir: string;
  /** The media timestamp (µs) that is time 0 of this run's input. */
  readonly origin: number;
  /** Added to this run's RTP timestamps to continue the timeline (set at its first packet). */
  offset: number | null;
  /** Audio: samples written so far (the next chunk's time). */
  samples: number;
}

/** Encodes one track's media to RTP (see the module comment). */
export class RtpEncoder {
  readonly kind: MediaKind;
  readonly #options: RtpEncoderOptions;
  #run: Run | null = null;
  #closed = false;
  #sequence = Math.floor(Math.random() * 0x10000);
  /** The last RTP timestamp sent, and when (ms): where the next run's timeline continues. */
  #lastTimestamp = Math.floor(Math.random() * 0x100000000);
  #lastSent = 0;
  #keyFrameWanted = false;
  #targetBitrate: number | null = null;
  #lastRestart = 0;
  #converter: AudioConverter | null = null;
  /** Frames and packets, for stats and tests. */
  framesEncoded = 0;
  framesDropped = 0;
  packetsSent = 0;
  keyFramesRequested = 0;

  constructor(options: RtpEncoderOptions) {
    this.kind = options.kind;
    this.#options = options;
  }

  /** The pid of the running ffmpeg, if any. */
  get pid(): number | undefined {
    return this.#run?.process.pid;
  }

  /** The bitrate the encoder runs at now (bits per second), or null before it starts. */
  get bitrate(): number | null {
    return this.#run?.bitrate ?? null;
  }

  /** The next frame becomes a key frame (a PLI or FIR from the peer). */
  requestKeyFrame(): void {
    this.keyFramesRequested++;
    this.#keyFrameWanted = true;
  }

  /**
   * The bitrate the peer can take (its REMB, or the stack's estimate), in bits per second. The
   * encoder follows it when it differs much from its own, at most every few seconds (a change
   * restarts the encoder, which costs a key frame).
   */
  setTargetBitrate(bitsPerSecond: number): void {
    if (!(bitsPerSecond > 0)) return;
    this.#targetBitrate = bitsPerSecond;
  }

  /** Encodes `media` (taken over: it is closed here). */
  write(media: VideoFrame | AudioData): void {
    if (this.#closed) return media.close();
    try {
      if ('codedWidth' in media) this.#writeVideo(media);
      else this.#writeAudio(media);
    } catch (error) {
      media.close();
      this.#options.onError?.(error instanceof Error ? error.message : String(error));
    }
  }

  /** Stops the encoder: its process ends and its sockets close. Resolves once it has been reaped. */
  async close(): Promise<void> {
    this.#closed = true;
    const run = this.#run;
    this.#run = null;
    if (run) await this.#stop(run);
  }

  #writeVideo(frame: VideoFrame): void {
    // Even sizes: I420's chroma planes are half the picture.
    const width = frame.displayWidth & ~1;
    const height = frame.displayHeight & ~1;
    let run = this.#run;
    const bitrate = this.#bitrateFor(width, height);
    const keyFrameDue = this.#keyFrameWanted && monotonicNow() - this.#lastRestart >= KEY_FRAME_RESTART_MS;
    if (!run || run.width !== width || run.height !== height || this.#bitrateMovedFar(run, bitrate) || keyFrameDue) {
      if (run) void this.#stop(run);
      run = this.#run = this.#start(width, height, bitrate, frame.timestamp);
    }
    if (run.input.pending('video').items >= MAX_QUEUED_FRAMES && run.input.connected) {
      // The encoder is behind: drop this frame (a later one carries the key frame if one is wanted).
      this.framesDropped++;
      return frame.close();
    }
    const { data, borrowed } = i420Bytes(frame, width, height);
    const timestamp = Math.max(0, frame.timestamp - run.origin);
    if (!borrowed) frame.close();
    this.framesEncoded++;
    run.input.write('video', timestamp, data, () => {
      if (borrowed) frame.close();
    });
  }

  #writeAudio(audio: AudioData): void {
    const channels = Math.min(2, audio.numberOfChannels);
    let run = this.#run;
    if (!run || run.width !== channels) {
      if (run) void this.#stop(run);
      this.#converter = new AudioConverter(48000, channels);
      run = this.#run = this.#start(channels, 0, this.#targetBitrate ?? 64000, audio.timestamp);
    }
    const { data, frames } = this.#converter!.convert(audio);
    audio.close();
    if (run.input.pending('audio').items >= MAX_QUEUED_AUDIO && run.input.connected) {
      this.framesDropped++;
      return;
    }
    // Audio is continuous: each chunk follows the one before, whatever the capture timestamps.
    const timestamp = (run.samples * 1e6) / 48000;
    run.samples += frames;
    this.framesEncoded++;
    run.input.write('audio', timestamp, data, () => {});
  }

  /** A bitrate for this picture size: about 0.08 bits per pixel at 30 fps, capped by the peer's estimate. */
  #bitrateFor(width: number, height: number): number {
    const own = Math.min(2_500_000, Math.max(150_000, Math.round(width * height * 30 * 0.08)));
    const hinted = this.#options.contentHint === 'detail' || this.#options.contentHint === 'text' ? own * 1.5 : own;
    return Math.round(this.#targetBitrate === null ? hinted : Math.max(100_000, Math.min(hinted, this.#targetBitrate)));
  }

  #bitrateMovedFar(run: Run, bitrate: number): boolean {
    if (monotonicNow() - this.#lastRestart < BITRATE_RESTART_MS) return false;
    return bitrate < run.bitrate * 0.7 || bitrate > run.bitrate * 1.5;
  }

  #start(width: number, height: number, bitrate: number, origin: number): Run {
    const video = this.kind === 'video';
    this.#lastRestart = monotonicNow();
    // A run's first frame is a key frame.
    this.#keyFrameWanted = false;
    const dir = mkdtempSync(join(tmpdir(), 'mediacapture-rtp-'));
    const writer = new RawMatroskaWriter(video ? { video: { width, height }, audio: null } : { video: null, audio: { sampleRate: 48000, channels: width } });
    const input = new SocketInput(join(dir, 'media.sock'), writer.header(), (_kind, timestamp, size) =>
      writer.blockHeader(video ? writer.videoTrack : writer.audioTrack, timestamp / 1000, size),
    );
    const socket = dgram.createSocket('udp4');
    const run: Run = { width, height, bitrate, process: null as unknown as OwnedProcess, input, socket, dir, origin, offset: null, samples: 0 };
    socket.on('message', (packet) => this.#onPacket(run, packet));
    socket.on('error', () => {});
    socket.bind(0, '127.0.0.1', () => {
      if (this.#run !== run) return;
      const port = socket.address().port;
      void input.listening.then(() => {
        if (this.#run !== run) return;
        (run as { process: OwnedProcess }).process = this.#spawn(run, port);
      });
    });
    return run;
  }

  #spawn(run: Run, port: number): OwnedProcess {
    const video = this.kind === 'video';
    const hint = this.#options.contentHint ?? '';
    const codec = video
      ? [
          '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', hint === 'detail' || hint === 'text' ? '6' : '8',
          '-lag-in-frames', '0', '-error-resilient', '1', '-threads', '1', '-auto-alt-ref', '0',
          '-b:v', String(run.bitrate), '-maxrate', String(run.bitrate), '-bufsize', String(Math.round(run.bitrate / 2)),
          '-g', '100000', '-force_key_frames', `expr:gte(t,n_forced*${KEY_FRAME_INTERVAL_S})`, '-pix_fmt', 'yuv420p', '-fps_mode', 'passthrough',
        ]
      : [
          '-c:a', 'libopus', '-application', hint === 'music' ? 'audio' : hint === 'speech' || hint === 'speaking' ? 'voip' : 'lowdelay',
          '-frame_duration', '20', '-b:a', String(run.bitrate), '-ar', '48000',
        ];
    const args = [
      '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error',
      '-probesize', '32', '-analyzeduration', '0', '-fflags', 'nobuffer', '-f', 'matroska', '-i', run.input.url,
      ...(video ? ['-an'] : ['-vn']), ...codec,
      '-f', 'rtp', '-payload_type', video ? '96' : '111',
      `rtp://127.0.0.1:${port}?rtcpport=${port}&pkt_size=${PACKET_SIZE}`,
    ];
    const proc = new OwnedProcess(ffmpegPath(), args, {
      debianPackage: 'ffmpeg',
      killGraceMs: 500,
      stderrTailBytes: 2048,
      onUnexpectedExit: (exit: ProcessExit) => {
        if (this.#run === run && !this.#closed) this.#options.onError?.(proc.describeExit(exit));
      },
    });
    // ffmpeg prints the stream's SDP on stdout; nobody needs it.
    proc.stdout.on('data', () => {});
    proc.started.catch((error: Error) => {
      if (this.#run === run) this.#options.onError?.(error.message);
    });
    return proc;
  }

  #onPacket(run: Run, packet: Buffer): void {
    if (this.#run !== run || packet.length < 12) return;
    // RTCP (payload types 200-204 read as marker + 72-76): ffmpeg's sender reports, not ours to send.
    const pt = packet[1]! & 0x7f;
    if (pt >= 72 && pt <= 76) return;
    const now = monotonicNow();
    const timestamp = packet.readUInt32BE(4);
    if (run.offset === null) {
      // This run's first packet: continue the timeline where the last run left it.
      const elapsed = this.#lastSent === 0 ? 0 : Math.max(1, Math.round(((now - this.#lastSent) * CLOCK_RATE[this.kind]) / 1000));
      run.offset = (this.#lastTimestamp + elapsed - timestamp) >>> 0;
    }
    const out = (timestamp + run.offset) >>> 0;
    this.#sequence = (this.#sequence + 1) & 0xffff;
    packet.writeUInt16BE(this.#sequence, 2);
    packet.writeUInt32BE(out, 4);
    this.#lastTimestamp = out;
    this.#lastSent = now;
    this.packetsSent++;
    this.#options.onPacket(packet);
  }

  async #stop(run: Run): Promise<void> {
    run.input.close();
    run.socket.close();
    // A run stopped before its process was spawned has none.
    const proc = run.process as OwnedProcess | null;
    if (proc) await proc.kill();
    rmSync(run.dir, { recursive: true, force: true });
  }
}
