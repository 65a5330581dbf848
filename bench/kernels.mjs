// Benchmark of the per-frame and per-chunk kernels, run on the build:
//
//   npx tsc -p tsconfig.build.json && node bench/kernels.mjs
//
// The speed of these was once asserted by the unit tests with wall-clock bounds, which failed on a
// busy machine; the tests now check what the kernels compute, and their speed is measured here.
// Each figure is CPU time (process.cpuUsage, user + system) per call, the median of 7 runs after a
// warm-up, so another job on the machine slows the run down but barely moves the figure. The
// budget is what one call may cost for capture to keep up (a 30 fps frame is 33 ms), or the bound
// the unit test used to assert.
import { TestPattern, ToneGenerator } from '../dist/media/synthetic/index.js';
import { i420ToRGBA } from '../dist/media/convert/color.js';
import { i420Image, i420Size, packedImage } from '../dist/media/convert/image.js';
import { cropAndScaleI420 } from '../dist/media/convert/scale.js';
import { Resampler } from '../dist/media/convert/resample.js';
import { VirtualClock } from '../dist/media/clock/index.js';
import { converters } from '../dist/webidl/index.js';

/** CPU milliseconds of one `fn()` call: median of `runs` runs of `calls` calls each. */
async function cpuPerCall(fn, { calls = 10, runs = 7 } = {}) {
  for (let i = 0; i < Math.min(calls, 3); i++) await fn();
  const perCall = [];
  for (let run = 0; run < runs; run++) {
    const start = process.cpuUsage();
    for (let i = 0; i < calls; i++) await fn();
    const used = process.cpuUsage(start);
    perCall.push((used.user + used.system) / 1000 / calls);
  }
  perCall.sort((a, b) => a - b);
  return { median: perCall[runs >> 1], min: perCall[0], max: perCall[runs - 1] };
}

function tone(frequency, rate, frames) {
  return Float32Array.from({ length: frames }, (_, i) => 0.5 * Math.sin((2 * Math.PI * frequency * i) / rate));
}

const cases = [];

{
  const p = new TestPattern(1920, 1080);
  const buf = new Uint8Array(p.layout.byteLength);
  let n = 0;
  cases.push(['TestPattern.render 1920x1080 (one frame)', 5, () => p.render(n, n++ * 33_333, buf)]);
}
{
  const gen = new ToneGenerator({ sampleRate: 48_000, noise: 'pink' });
  const out = [new Float32Array(480), new Float32Array(480)];
  let at = 0;
  cases.push(['ToneGenerator 1 s of stereo 48 kHz pink noise + tone', 100, () => {
    for (let i = 0; i < 100; i++) gen.generate((at += 480), 480, out);
  }]);
}
{
  const [w, h] = [1920, 1080];
  const yuv = i420Image(new Uint8Array(i420Size(w, h)).fill(128), w, h);
  const rgba = new Uint8Array(w * h * 4);
  cases.push(['i420ToRGBA 1920x1080 (one frame)', 33, () => i420ToRGBA(yuv, packedImage(rgba, w, h).plane)]);
}
{
  const src = i420Image(new Uint8Array(i420Size(1920, 1080)).map((_, i) => i & 255), 1920, 1080);
  const dst = i420Image(new Uint8Array(i420Size(1280, 720)), 1280, 720);
  cases.push(['cropAndScaleI420 1920x1080 → 1280x720 (one frame)', 33, () => cropAndScaleI420(src, dst)]);
}
{
  const r = new Resampler(48000, 44100, 2);
  const input = [tone(1000, 48000, 48000), tone(1000, 48000, 48000)];
  cases.push(['Resampler 1 s of stereo 48 kHz → 44.1 kHz', 250, () => r.process(input)]);
}
cases.push(['VirtualClock.advanceAsync 10 s of 30 fps video + 10 ms audio', 2000, async () => {
  const clock = new VirtualClock();
  clock.every(1e6 / 30, () => {});
  clock.every(10_000, () => {});
  await clock.advanceAsync(10_000);
}, { calls: 1, runs: 5 }]);
{
  const huge = new Array(2 ** 32 - 1);
  cases.push(['WebIDL: refusing 2^32-1 advanced constraint sets', 1000, () => {
    try {
      converters.MediaTrackConstraints({ advanced: huge }, 'c');
    } catch {
      // the TypeError is the point
    }
  }, { calls: 3, runs: 5 }]);
}

console.log(`Node ${process.version}, ${process.platform}/${process.arch}`);
console.log('| kernel | CPU ms per call, median (range) | budget ms |');
console.log('|---|---|---|');
for (const [name, budget, fn, options] of cases) {
  const { median, min, max } = await cpuPerCall(fn, options);
  const mark = median <= budget ? '' : ' (over budget)';
  console.log(`| ${name} | ${median.toFixed(2)} (${min.toFixed(2)}–${max.toFixed(2)})${mark} | ${budget} |`);
}
