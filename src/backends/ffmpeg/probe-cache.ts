/**
 * The persisted answers of the ffmpeg probe (probe.ts): what one ffmpeg binary lists as its
 * encoders, muxers and input protocols, kept on disk so that a new Node process need not run
 * ffmpeg three times before it can answer `MediaRecorder.isTypeSupported()`.
 *
 * Where: `<os.tmpdir()>/mediacapture-<uid>/ffmpeg-<hash of the binary's real path>.json`, in a
 * directory only this user may write (mode 0700, checked to be ours and not a symbolic link
 * before anything in it is trusted). The temporary directory, not the device-id state directory:
 * the answers are a cache, cheap to make again after a reboot clears them, and shared by every
 * installation and state directory of the user (tests give each run a state directory of its own).
 *
 * Key: the binary's real path, size, mtime, inode and device. An upgraded or replaced ffmpeg has
 * another key, so its answers are probed afresh; a stale entry is never read.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** What identifies one ffmpeg binary on disk: a change of any of these is another binary. */
export interface BinaryKey {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
  readonly dev: number;
}

/** The listings of one binary, as names. */
export interface ProbeListings {
  readonly encoders: readonly string[];
  readonly muxers: readonly string[];
  readonly inputProtocols: readonly string[];
}

const FORMAT = 1;

/** Makes each temporary file name of this process unique (a synchronous and an asynchronous write may overlap). */
let writes = 0;

/**
 * The binary `program` runs (a path, or a name looked up on `PATH`), resolved to its real path,
 * with its identity; null when there is no such executable file.
 */
export function binaryKey(program: string, env: NodeJS.ProcessEnv = process.env): BinaryKey | null {
  const candidates = program.includes('/') ? [resolve(program)] : (env.PATH ?? '').split(delimiter).filter((d) => isAbsolute(d)).map((d) => join(d, program));
  for (const candidate of candidates) {
    try {
      const real = realpathSync(candidate);
      const st = statSync(real);
      if (!st.isFile()) continue;
      return { path: real, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, dev: st.dev };
    } catch {
      // not there: the next directory of PATH
    }
  }
  return null;
}

/** The cache directory of this user, created if needed; null where it cannot be trusted or made. */
function cacheDir(): string | null {
  const uid = process.getuid?.() ?? -1;
  const dir = join(tmpdir(), `mediacapture-${uid}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    // Another user could have made it first, in a shared /tmp: then it is not ours to trust.
    if (!st.isDirectory() || st.isSymbolicLink() || (uid !== -1 && st.uid !== uid) || (st.mode & 0o022) !== 0) return null;
    return dir;
  } catch {
    return null;
  }
}

function fileFor(dir: string, key: BinaryKey): string {
  return join(dir, `ffmpeg-${createHash('sha256').update(key.path).digest('hex').slice(0, 16)}.json`);
}

function decode(text: string, key: BinaryKey): ProbeListings | null {
  try {
    const entry = JSON.parse(text) as Partial<BinaryKey & ProbeListings & { format: number }>;
    const same =
      entry.format === FORMAT && entry.path === key.path && entry.size === key.size && entry.mtimeMs === key.mtimeMs && entry.ino === key.ino && entry.dev === key.dev;
    const lists = [entry.encoders, entry.muxers, entry.inputProtocols];
    if (!same || !lists.every((l) => Array.isArray(l) && l.every((n) => typeof n === 'string'))) return null;
    return { encoders: entry.encoders!, muxers: entry.muxers!, inputProtocols: entry.inputProtocols! };
  } catch {
    return null;
  }
}

function encode(key: BinaryKey, listings: ProbeListings): string {
  return JSON.stringify({ format: FORMAT, ...key, ...listings });
}

/** The persisted listings of the binary `key`, or null (none, another binary's, unreadable). Synchronous. */
export function readCachedListings(key: BinaryKey): ProbeListings | null {
  const dir = cacheDir();
  if (dir === null) return null;
  try {
    return decode(readFileSync(fileFor(dir, key), 'utf8'), key);
  } catch {
    return null;
  }
}

/** As {@link readCachedListings}, without blocking. */
export async function readCachedListingsAsync(key: BinaryKey): Promise<ProbeListings | null> {
  const dir = cacheDir();
  if (dir === null) return null;
  try {
    return decode(await readFile(fileFor(dir, key), 'utf8'), key);
  } catch {
    return null;
  }
}

/** Persists the listings of `key` (written beside, then renamed: a reader never sees half a file). Never throws. */
export function writeCachedListings(key: BinaryKey, listings: ProbeListings): void {
  const dir = cacheDir();
  if (dir === null) return;
  const file = fileFor(dir, key);
  const temporary = `${file}.${process.pid}-${writes++}.tmp`;
  try {
    writeFileSync(temporary, encode(key, listings), { mode: 0o600 });
    renameSync(temporary, file);
  } catch {
    // A cache that cannot be written is probed again next time.
  }
}

/** As {@link writeCachedListings}, without blocking. */
export async function writeCachedListingsAsync(key: BinaryKey, listings: ProbeListings): Promise<void> {
  const dir = cacheDir();
  if (dir === null) return;
  const file = fileFor(dir, key);
  const temporary = `${file}.${process.pid}-${writes++}.tmp`;
  try {
    await writeFile(temporary, encode(key, listings), { mode: 0o600 });
    await rename(temporary, file);
  } catch {
    // As above.
  }
}
