import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { scaled } from './helpers/wait.js';

const run = promisify(execFile);

/**
 * Every ```js block of the README runs as written (as an ES module inside the package, so
 * `import … from 'mediacapture'` resolves to this package, as it does for a user who installed it).
 */
const readme = readFileSync('README.md', 'utf8');
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
const dir = join('.tmp', 'readme');

describe('README examples', () => {
  it('has runnable examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  it.each(blocks.map((code, i) => [i, code] as const))('block %i runs without error', async (i, code) => {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `block-${i}.mjs`);
    writeFileSync(file, code);
    try {
      await run(process.execPath, [file], { timeout: scaled(20_000), env: { ...process.env, MEDIACAPTURE_STATE_DIR: join(dir, 'state') } });
    } finally {
      rmSync(file, { force: true });
    }
  }, scaled(30_000));

  it('the set-up section\'s command records a file ffprobe reads', async () => {
    const out = join(dir, 'clip.webm');
    // Exit 0, or 10 with its warning when a busy machine made the file shorter than asked (the
    // CLI says so rather than pretend); either way the file must be there and play.
    await run(process.execPath, ['bin/mediacapture.js', 'record', out, '--duration', '2s'], { timeout: scaled(60_000), env: { ...process.env, MEDIACAPTURE_STATE_DIR: join(dir, 'state') } }).catch((error: { code?: number; stderr?: string }) => {
      if (error.code !== 10 || !/holds .* of the .* asked for/.test(error.stderr ?? '')) throw error;
    });
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', out], { timeout: scaled(20_000) });
    const probe = JSON.parse(stdout);
    expect(probe.streams.map((s: { codec_type: string }) => s.codec_type).sort()).toEqual(['audio', 'video']);
    expect(Number(probe.format.duration)).toBeGreaterThan(1);
  }, scaled(90_000));

  it('the first-stream example runs', async () => {
    const { stdout: out } = await run(process.execPath, ['examples/first-stream.mjs'], { timeout: scaled(20_000), env: { ...process.env, MEDIACAPTURE_STATE_DIR: join(dir, 'state') } });
    expect(out).toContain('video: Built-in Camera (synthetic)');
    expect(out).toContain('width: 1280');
  }, scaled(30_000));
});
