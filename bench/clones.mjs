// Ten clones of one 1280x720@30 built-in camera track against one track, each read by a sink
// attached to the track's media directly (src/media/track-media.ts), without a ReadableStream: the
// cost of the pipeline itself (routing, sharing frames by reference, refcounts). bench/pipeline.mjs
// measures the same with MediaStreamTrackProcessors, which add Node's web-streams read per reader.
//
//   npx tsc -p tsconfig.build.json && node bench/clones.mjs [--seconds=8] [--repeat=3]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const seconds = Number(args.seconds ?? 8);
const repeat = Number(args.repeat ?? 3);

if (args.child) {
  const { installGlobals } = await import('../dist/index.js');
  const { attachSink } = await import('../dist/media/track-media.js');
  const n = Number(args.child);
  const tab = installGlobals({}, { backends: 'builtin' });
  const [track] = (await tab.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 } })).getVideoTracks();
  const tracks = [track, ...Array.from({ length: n - 1 }, () => track.clone())];
  let frames = 0;
  for (const t of tracks) attachSink(t, { media(f) { frames++; f.close(); } });
  await new Promise((r) => setTimeout(r, 1000));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const f0 = frames;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const c = process.cpuUsage(c0);
  const dt = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ cpu: (c.user + c.system) / 1e6 / dt, frames: frames - f0 }));
  for (const t of tracks) t.stop();
} else {
  const run = (n) => JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), `--child=${n}`, `--seconds=${seconds}`]).toString());
  const ratios = [];
  console.log('| run | one track (CPU s/s) | ten clones (CPU s/s) | ratio |');
  console.log('|---|---|---|---|');
  for (let i = 0; i < repeat; i++) {
    const one = run(1);
    const ten = run(10);
    ratios.push(ten.cpu / one.cpu);
    console.log(`| ${i + 1} | ${one.cpu.toFixed(4)} (${one.frames} frames) | ${ten.cpu.toFixed(4)} (${ten.frames} frames) | ${(ten.cpu / one.cpu).toFixed(2)}× |`);
  }
  ratios.sort((a, b) => a - b);
  console.log(`median ratio ${ratios[Math.floor(ratios.length / 2)].toFixed(2)}× (target ≤ 1.2×)`);
}
