/**
 * Finding the ffmpeg program and what it can do: its encoders, muxers and input protocols, from
 * `ffmpeg -encoders`, `-muxers` and `-protocols` (three runs: ffmpeg prints only the first
 * listing asked for). Done once per binary, and kept off the event loop where that can be.
 *
 * `MediaRecorder.isTypeSupported()` is synchronous by spec, and so are the recorder's checks in
 * its constructor; the three runs cost 0.2–0.3 s (4 s on a loaded machine) when made with
 * `spawnSync`. So the answer is found in this order:
 *
 * 1. **In memory**: once per binary path and process.
 * 2. **Persisted** (probe-cache.ts): a file per binary in the user's temporary directory, keyed
 *    by the binary's real path, size, mtime and inode. Read synchronously: a stat and a small
 *    read, well under a millisecond.
 * 3. **Asynchronously, early**: {@link prewarmFfmpegProbe} runs when the package registers its
 *    backends (importing the package, `installGlobals`): it reads the persisted answer, or runs
 *    the three listings as child processes in parallel, and persists what they say. By the time a
 *    page-like program has called getUserMedia, the answer is usually in memory.
 * 4. **Cold, synchronously, bounded**: a synchronous question that comes before any answer
 *    exists (the first call after a reboot, or after ffmpeg was upgraded) runs the listings that
 *    step 3 has not finished with `spawnSync`, for at most {@link SYNC_PROBE_BUDGET_MS} in all.
 *    If the budget runs out, the answer is "cannot record" for that call only (nothing is
 *    cached): isTypeSupported() then says false, which is what a UA that cannot confirm support
 *    must say, and the asynchronous probe goes on, so later calls answer from it.
 *
 * Every child started here is owned: `spawnSync` waits for and reaps its child before returning,
 * and the asynchronous runs go through `OwnedProcess`, which does not keep Node alive for them
 * and kills them if Node exits first.
 */
import { spawnSync } from 'node:child_process';
import { OwnedProcess } from '../common/process.js';
import {
  binaryKey,
  readCachedListings,
  readCachedListingsAsync,
  writeCachedListings,
  writeCachedListingsAsync,
  type ProbeListings,
} from './probe-cache.js';
import { clearInterval, clearTimeout, monotonicNow, setInterval, setTimeout } from '../../platform/timers.js';

/** The environment variable that names the ffmpeg binary (default: `ffmpeg` on PATH). */
export const FFMPEG_ENV = 'MEDIACAPTURE_FFMPEG';

/** The longest a synchronous question may block on a cold cache, ms (all listings together). */
export const SYNC_PROBE_BUDGET_MS = 3000;

/** How long an asynchronous listing may take before it counts as failed, ms. */
const ASYNC_PROBE_TIMEOUT_MS = 20_000;

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

type Listing = 'encoders' | 'muxers' | 'protocols';
const LISTINGS: readonly Listing[] = ['encoders', 'muxers', 'protocols'];

/** What is known of one binary path. */
interface Entry {
  /** The answer, once there is one (null: ffmpeg cannot be run there, or is broken). */
  answer?: FfmpegCapabilities | null;
  /** The outputs of the listings run so far (by either probe). */
  readonly outputs: Partial<Record<Listing, string>>;
  /** The asynchronous probe, while it runs. */
  pending?: Promise<FfmpegCapabilities | null>;
}

const cache = new Map<string, Entry>();

function entryFor(path: string): Entry {
  let entry = cache.get(path);
  if (!entry) cache.set(path, (entry = { outputs: {} }));
  return entry;
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

/** The names in the three listings' outputs. */
function listingsOf(outputs: Record<Listing, string>): ProbeListings {
  return {
    // " V....D libvpx  …": the first flag is the media type (V, A, S).
    encoders: [...parseListing(outputs.encoders, /^[VAS][.A-Z]{5}$/)],
    // "  E webm  …" (or "DE" for formats that also demux).
    muxers: [...parseListing(outputs.muxers, /^D?E$/)],
    inputProtocols: [...parseProtocols(outputs.protocols)],
  };
}

function capabilitiesOf(path: string, listings: ProbeListings): FfmpegCapabilities {
  return { path, encoders: new Set(listings.encoders), muxers: new Set(listings.muxers), inputProtocols: new Set(listings.inputProtocols) };
}

/**
 * What the ffmpeg at `path` (default {@link ffmpegPath}) can do, or null when it cannot be run.
 * Synchronous, for isTypeSupported: from memory, else the persisted answer, else a bounded
 * synchronous probe that blocks for at most `budgetMs` (see the module comment).
 */
export function probeFfmpeg(path: string = ffmpegPath(), { budgetMs = SYNC_PROBE_BUDGET_MS }: { budgetMs?: number } = {}): FfmpegCapabilities | null {
  const entry = entryFor(path);
  if (entry.answer !== undefined) return entry.answer;
  // 1. No such executable: nothing to run.
  const key = binaryKey(path);
  if (key === null) return (entry.answer = null);
  // 2. Persisted by an earlier process.
  const persisted = readCachedListings(key);
  if (persisted) return (entry.answer = capabilitiesOf(path, persisted));
  // 3. Cold: the listings the asynchronous probe has not brought yet, within the budget.
  const deadline = monotonicNow() + budgetMs;
  for (const listing of LISTINGS) {
    if (entry.outputs[listing] !== undefined) continue;
    // Whole milliseconds: spawnSync takes no fraction (monotonicNow() has them).
    const timeout = Math.ceil(deadline - monotonicNow());
    if (timeout <= 0) return null;
    const result = spawnSync(path, ['-hide_banner', `-${listing}`], { encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 8 << 20 });
    // Out of time: no answer now; the asynchronous probe answers later calls.
    if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') {
      prewarmFfmpegProbe(path);
      return null;
    }
    if (result.error || result.status !== 0) return (entry.answer = null);
    entry.outputs[listing] = result.stdout;
  }
  const listings = listingsOf(entry.outputs as Record<Listing, string>);
  writeCachedListings(key, listings);
  return (entry.answer = capabilitiesOf(path, listings));
}

/** Runs one listing without blocking; resolves to its output, or null when ffmpeg fails. */
function runListing(path: string, listing: Listing): Promise<string | null> {
  return new Promise((resolve) => {
    let proc: OwnedProcess;
    try {
      // Not keeping Node alive: a program that never records need not wait for the probe.
      proc = new OwnedProcess(path, ['-hide_banner', `-${listing}`], { keepAlive: false, killGraceMs: 500 });
    } catch {
      resolve(null);
      return;
    }
    const chunks: Buffer[] = [];
    proc.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const timer = setTimeout(() => void proc.kill(), ASYNC_PROBE_TIMEOUT_MS);
    timer.unref();
    void proc.exited.then((exit) => {
      clearTimeout(timer);
      resolve(exit.code === 0 && !exit.expected ? Buffer.concat(chunks).toString('utf8') : null);
    });
  });
}

/**
 * What the ffmpeg at `path` can do, found without blocking the event loop: from memory, the
 * persisted answer, or the three listings run in parallel. One probe per path at a time. Node
 * stays alive until it settles (the probe's own children do not hold it: see prewarmFfmpegProbe).
 */
export function probeFfmpegAsync(path: string = ffmpegPath()): Promise<FfmpegCapabilities | null> {
  const probe = startProbe(path);
  if (probe instanceof Promise) {
    // Someone waits for the answer: keep the event loop alive until it comes.
    const hold = setInterval(() => {}, 1 << 30);
    void probe.finally(() => clearInterval(hold));
  }
  return Promise.resolve(probe);
}

/** The answer, or the probe that will give it (started now if none runs). */
function startProbe(path: string): FfmpegCapabilities | null | Promise<FfmpegCapabilities | null> {
  const entry = entryFor(path);
  if (entry.answer !== undefined) return entry.answer;
  if (entry.pending !== undefined) return entry.pending;
  const pending = (async (): Promise<FfmpegCapabilities | null> => {
    const key = binaryKey(path);
    if (key === null) return (entry.answer = null);
    const persisted = await readCachedListingsAsync(key);
    if (entry.answer !== undefined) return entry.answer;
    if (persisted) return (entry.answer = capabilitiesOf(path, persisted));
    const outputs = await Promise.all(
      LISTINGS.map(async (listing) => {
        const known = entry.outputs[listing];
        if (known !== undefined) return known;
        const output = await runListing(path, listing);
        // Kept as it comes: a synchronous probe meanwhile runs only what is still missing.
        if (output !== null && entry.outputs[listing] === undefined) entry.outputs[listing] = output;
        return output;
      }),
    );
    // A synchronous probe may have answered while these ran.
    if (entry.answer !== undefined) return entry.answer;
    if (outputs.some((o) => o === null)) return (entry.answer = null);
    const listings = listingsOf({ encoders: outputs[0]!, muxers: outputs[1]!, protocols: outputs[2]! });
    entry.answer = capabilitiesOf(path, listings);
    // Settled once persisted, so that the next process finds it.
    await writeCachedListingsAsync(key, listings);
    return entry.answer;
  })();
  entry.pending = pending;
  void pending.finally(() => {
    if (entry.pending === pending) delete entry.pending;
  });
  return pending;
}

/**
 * Starts probing `path` without waiting for it: early, so that later questions find the answer
 * ready. It does not keep Node alive: a program that never records need not wait for it.
 */
export function prewarmFfmpegProbe(path: string = ffmpegPath()): void {
  const probe = startProbe(path);
  if (probe instanceof Promise) probe.catch(() => {});
}

/** Forgets the answers kept in memory (tests that change `MEDIACAPTURE_FFMPEG`); the persisted ones are keyed by the binary, and stay. */
export function clearFfmpegProbeCache(): void {
  cache.clear();
}
