// Micro-benchmark: one 1920x1080 I420 test-pattern frame scaled to the nine other sizes of the
// pipeline bench's ten-sizes scenario, through the video adapter (pyramid and all), on the build.
//
//   npx tsc -p tsconfig.build.json && node bench/lib/scale-sizes.mjs [--frames=60]
import { VideoAdapter } from '../../dist/media/adapt/video-adapter.js';
import { TestPattern } from '../../dist/media/synthetic/test-pattern.js';
import { i420Size } from '../../dist/media/convert/image.js';
import { videoFrameFromPlanes } from '../../dist/webcodecs/internal.js';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const frames = Number(args.frames ?? 60);
const SIZES = [[1600, 900], [1280, 720], [960, 540], [854, 480], [640, 360], [480, 270], [426, 240], [320, 180], [160, 90]];
const adapters = SIZES.map(([width, height]) => new VideoAdapter({ kind: 'video', width, height, frameRate: 30 }));
const pattern = new TestPattern(1920, 1080);
const data = new Uint8Array(i420Size(1920, 1080));
const perSize = SIZES.map(() => 0);
const totals = [];
for (let n = 0; n < frames; n++) {
  pattern.render(n, n * 33333, data);
  const frame = videoFrameFromPlanes({ format: 'I420', codedWidth: 1920, codedHeight: 1080, timestamp: n * 33333, duration: 33333, data });
  const t0 = performance.now();
  adapters.forEach((a, i) => {
    const s = performance.now();
    a.process(frame)?.close();
    perSize[i] += performance.now() - s;
  });
  totals.push(performance.now() - t0);
  frame.close();
}
const warm = totals.slice(Math.floor(frames / 3)).sort((a, b) => a - b);
console.log(`nine sizes from 1080p: median ${warm[warm.length >> 1].toFixed(1)} ms/frame (min ${warm[0].toFixed(1)}, max ${warm[warm.length - 1].toFixed(1)})`);
console.log(SIZES.map(([w, h], i) => `${w}x${h} ${(perSize[i] / frames).toFixed(2)}`).join(', '));
