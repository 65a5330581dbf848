// Start-up cost: a Node process that imports 'mediacapture/global' and awaits its first
// getUserMedia, against bare Node that does nothing, as interleaved pairs of fresh processes
// (wall time from spawn to exit, as a user waits for it). Both exit as soon as they are done.
//
//   npx tsc -p tsconfig.build.json && node bench/startup.mjs [--pairs=5] [--constraints=audio]
//
// `--constraints=audio` (default) asks for `{audio: true}` with the `auto` backends, so with
// PulseAudio running (`eval "$(scripts/services.sh env)"`) the first call lists its devices and
// starts parec; `video` asks the built-in camera. The child also prints its own split: import
// time and first-call time.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const pairs = Number(args.pairs ?? 5);
const kind = args.constraints ?? 'audio';

const ours = `
const t0 = performance.now();
await import('mediacapture/global');
const t1 = performance.now();
const stream = await navigator.mediaDevices.getUserMedia({ ${kind}: true });
const t2 = performance.now();
for (const t of stream.getTracks()) t.stop();
console.log(JSON.stringify({ importMs: t1 - t0, firstCallMs: t2 - t1 }));
process.exit(0);
`;

function time(argv) {
  const t0 = performance.now();
  const out = spawnSync(process.execPath, argv, { encoding: 'utf8', cwd: new URL('..', import.meta.url).pathname });
  const ms = performance.now() - t0;
  if (out.status !== 0) throw new Error(out.stderr);
  return { ms, split: out.stdout.trim() ? JSON.parse(out.stdout.trim().split('\n').pop()) : undefined };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`start-up, {${kind}: true}, ${pairs} interleaved pairs (Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
console.log('| pair | bare node (ms) | import + first getUserMedia (ms) | difference | import | first call |');
console.log('|---|---|---|---|---|---|');
const diffs = [];
time(['--input-type=module', '-e', ours]); // the disk cache warm, as for a user's second run
for (let i = 1; i <= pairs; i++) {
  const bare = time(['--input-type=module', '-e', 'process.exit(0)']);
  const full = time(['--input-type=module', '-e', ours]);
  diffs.push(full.ms - bare.ms);
  console.log(`| ${i} | ${bare.ms.toFixed(0)} | ${full.ms.toFixed(0)} | +${(full.ms - bare.ms).toFixed(0)} | ${full.split.importMs.toFixed(0)} | ${full.split.firstCallMs.toFixed(1)} |`);
}
console.log(`difference: median +${median(diffs).toFixed(0)} ms, range +${Math.min(...diffs).toFixed(0)} to +${Math.max(...diffs).toFixed(0)} ms (target: within 150 ms); load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
