/**
 * Running the command line and the examples as a user does (a child `node` process against the
 * built dist/), and reading what they wrote: PNG headers, decoded pixels, ffprobe's view of a file.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CLI = join(ROOT, 'bin', 'mediacapture.js');

/** Whether `program` is an executable on PATH. */
export function onPath(program: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** A fresh directory for one test file's outputs, with its own device-id salt. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `mediacapture-${prefix}-`));
}

/**
 * The environment of a child: the built-in synthetic devices only (no real devices, whatever the
 * machine or the test services have), the salt kept in `dir`, no terminal.
 */
export function childEnv(dir: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, MEDIACAPTURE_STATE_DIR: join(dir, 'state'), MEDIACAPTURE_BACKENDS: 'builtin' };
  for (const name of ['MEDIACAPTURE_DEVICES', 'MEDIACAPTURE_PERMISSIONS', 'MEDIACAPTURE_FFMPEG']) delete env[name];
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node <script> ...args` and collects its output and exit status. */
export function runNode(script: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    execFile(process.execPath, [script, ...args], { env, cwd: ROOT, timeout: timeoutMs, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** Runs `mediacapture ...args`. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs?: number): Promise<RunResult> {
  return runNode(CLI, args, env, timeoutMs);
}

/** Starts `mediacapture ...args` in its own process group (as a terminal runs a job), for signals. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv): { child: ChildProcess; result: Promise<RunResult> } {
  const child = spawn(process.execPath, [CLI, ...args], { env, cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const result = new Promise<RunResult>((r) => child.on('close', (code) => r({ code, stdout, stderr })));
  return { child, result };
}

/** The size and colour type from a PNG's IHDR chunk (after checking the signature). */
export function pngHeader(path: string): { width: number; height: number; bitDepth: number; colorType: number } {
  const b = readFileSync(path);
  if (b.subarray(0, 8).toString('latin1') !== '\x89PNG\r\n\x1a\n') throw new Error(`${path} is not a PNG (bad signature).`);
  if (b.subarray(12, 16).toString('latin1') !== 'IHDR') throw new Error(`${path}: the first chunk is not IHDR.`);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), bitDepth: b[24]!, colorType: b[25]! };
}

function execText(program: string, args: readonly string[]): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolvePromise) => {
    execFile(program, args, { encoding: 'buffer', maxBuffer: 256 << 20, timeout: 60_000 }, (error, stdout, stderr) => {
      resolvePromise({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr: stderr.toString() });
    });
  });
}

/** Decodes an image file (PNG, JPEG) with ffmpeg into RGB24 pixels. */
export async function decodeImage(path: string): Promise<Buffer> {
  const { code, stdout, stderr } = await execText('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', path, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
  if (code !== 0) throw new Error(`ffmpeg could not decode ${path}: ${stderr}`);
  return stdout;
}

export interface ProbeStream {
  readonly codec_type: string;
  readonly codec_name: string;
  readonly width?: number;
  readonly height?: number;
  readonly sample_rate?: string;
  readonly channels?: number;
  readonly nb_read_frames?: string;
}

/** ffprobe's view of a media file, decoding every frame (-count_frames); throws when ffprobe cannot read it. */
export async function probe(path: string): Promise<{ format: { format_name: string; duration?: string }; streams: ProbeStream[] }> {
  const { code, stdout, stderr } = await execText('ffprobe', ['-v', 'error', '-count_frames', '-show_format', '-show_streams', '-of', 'json', path]);
  if (code !== 0) throw new Error(`ffprobe cannot read ${path}: ${stderr}`);
  return JSON.parse(stdout.toString()) as never;
}

/** Decodes a media file completely; returns ffmpeg's errors (empty when the file decodes cleanly). */
export async function decodeErrors(path: string): Promise<string> {
  const { stderr } = await execText('ffmpeg', ['-hide_banner', '-v', 'error', '-i', path, '-f', 'null', '-']);
  return stderr.trim();
}
