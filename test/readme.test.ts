import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

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

  it.each(blocks.map((code, i) => [i, code] as const))('block %i runs without error', (i, code) => {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `block-${i}.mjs`);
    writeFileSync(file, code);
    try {
      execFileSync(process.execPath, [file], { stdio: 'pipe', timeout: 20_000, env: { ...process.env, MEDIACAPTURE_STATE_DIR: join(dir, 'state') } });
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('the set-up section\'s command records a file ffprobe reads', () => {
    const out = join(dir, 'clip.webm');
    execFileSync(process.execPath, ['bin/mediacapture.js', 'record', out, '--duration', '2s'], { timeout: 60_000, env: { ...process.env, MEDIACAPTURE_STATE_DIR: join(dir, 'state') } });
    const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', out]).toString());
    expect(probe.streams.map((s: { codec_type: string }) => s.codec_type).sort()).toEqual(['audio', 'video']);
    expect(Number(probe.format.duration)).toBeGreaterThan(1.5);
  });

  it('the first-stream example runs', () => {
    const out = execFileSync(process.execPath, ['examples/first-stream.mjs'], { timeout: 20_000, env: { ...process.env, MEDIACAPTURE_STATE_DIR: join(dir, 'state') } }).toString();
    expect(out).toContain('video: Built-in Camera (synthetic)');
    expect(out).toContain('width: 1280');
  });
});
