/**
 * Finding the ffmpeg program and what it can do. `MediaRecorder.isTypeSupported` is synchronous,
 * so the first question runs `ffmpeg -hide_banner -encoders` and `-muxers` synchronously (about
 * 50 ms, once per binary path; the answer is cached). These two short runs use `spawnSync`, which
 * waits for the child and reaps it before returning, so no child outlives the call; every
 * long-running ffmpeg goes through `OwnedProcess`.
 */
import { spawnSync } from 'node:child_process';

/** The environment variable that names the ffmpeg binary (default: `ffmpeg` on PATH). */
export const FFMPEG_ENV = 'MEDIACAPTURE_FFMPEG';

/** What one ffmpeg binary offers. */
export interface FfmpegCapabilities {
  readonly path: string;
  /** Encoder names (`libvpx`, `libopus`, …). */
  readonly encoders: ReadonlySet<string>;
  /** Muxer names (`webm`, `mp4`, …). */
  readonly muxers: ReadonlySet<string>;
  /** Input protocols (`unix`, `pipe`, …). */
  readonly inputProtocols: ReadonlySet<string>;
}

/** The ffmpeg binary to run: `$MEDIACAPTURE_FFMPEG`, else `ffmpeg` from PATH. */
export function ffmpegPath(): string {
  return process.env[FFMPEG_ENV] || 'ffmpeg';
}

const cache = new Map<string, FfmpegCapabilities | null>();

function run(path: string, args: string[]): string | null {
  const result = spawnSync(path, ['-hide_banner', ...args], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 8 << 20 });
  if (result.error || result.status !== 0) return null;
  return result.stdout;
}

/**
 * Parses `ffmpeg -encoders` / `-muxers` listings: lines of flags, a name and a description,
 * after a `------` separator. Muxer lines may name several formats (`matroska,webm`).
 */
export function parseListing(text: string, flagPattern: RegExp): Set<string> {
  const names = new Set<string>();
  let body = false;
  for (const line of text.split('\n')) {
    if (/^\s*-{2,}\s*$/.test(line)) {
      body = true;
      continue;
    }
    if (!body) continue;
    const m = /^\s*(\S+)\s+(\S+)/.exec(line);
    if (!m || !flagPattern.test(m[1]!)) continue;
    for (const name of m[2]!.split(',')) names.add(name);
  }
  return names;
}

function parseProtocols(text: string): Set<string> {
  const input = text.split(/Output:/)[0] ?? '';
  return new Set(input.split('\n').slice(1).map((l) => l.trim()).filter((l) => /^[a-z0-9_]+$/.test(l)));
}

/** What the ffmpeg at `path` (default {@link ffmpegPath}) can do, or null when it cannot be run. Cached. */
export function probeFfmpeg(path: string = ffmpegPath()): FfmpegCapabilities | null {
  if (cache.has(path)) return cache.get(path)!;
  let caps: FfmpegCapabilities | null = null;
  const encoders = run(path, ['-encoders']);
  const muxers = encoders === null ? null : run(path, ['-muxers']);
  const protocols = muxers === null ? null : run(path, ['-protocols']);
  if (encoders !== null && muxers !== null && protocols !== null) {
    caps = {
      path,
      // " V....D libvpx  …": the first flag is the media type (V, A, S).
      encoders: parseListing(encoders, /^[VAS][.A-Z]{5}$/),
      // "  E webm  …" (or "DE" for formats that also demux).
      muxers: parseListing(muxers, /^D?E$/),
      inputProtocols: parseProtocols(protocols),
    };
  }
  cache.set(path, caps);
  return caps;
}

/** Forgets cached answers (tests that change `MEDIACAPTURE_FFMPEG`). */
export function clearFfmpegProbeCache(): void {
  cache.clear();
}
