#!/usr/bin/env node
// Web Audio bridges (src/webaudio/), side by side in one run, on node-web-audio-api with no
// output device (sinkId none, as in tests): latency and CPU of
//   - into the graph (a track → MediaStreamAudioSourceNode): ours (an AudioBufferSourceNode per
//     chunk, end to end) vs value curves on a ConstantSourceNode's offset (one call per chunk) vs
//     a ScriptProcessorNode writing the track's samples to its output;
//   - out of the graph (→ MediaStreamAudioDestinationNode's track): ours (AnalyserNodes read
//     between two frame clocks) vs a ScriptProcessorNode reading its input (256 and 1024 frames).
// CPU is the process's (process.cpuUsage: the JS thread, the render thread and the rest), per second
// of audio, less that of the same context rendering an oscillator into an analyser alone.
// Also: whether a process that made a ScriptProcessorNode exits after close(), and whether value
// curves added one by one play what they are given (node-web-audio-api 1.0).
//   npm run build && node bench/webaudio.mjs
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { attachSink, installGlobals } from '../dist/index.js';

const require = createRequire(import.meta.url);
const g = {};
const handle = installGlobals(g, { backends: 'builtin' });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ONSETS = Number(process.env.ONSETS ?? 15);
const CPU_SECONDS = Number(process.env.CPU_SECONDS ?? 3);

// ---- out of the graph -------------------------------------------------------------------------

/** A way out of the graph: connect(context, node, onChunk(samples: Float32Array, wallMs)) → dispose. */
const outBridges = {
  ours(context, node, onChunk) {
    const destination = context.createMediaStreamDestination();
    node.connect(destination);
    const detach = attachSink(destination.stream.getAudioTracks()[0], {
      media(data) {
        const samples = new Float32Array(data.numberOfFrames);
        data.copyTo(samples, { planeIndex: 0, format: 'f32-planar' });
        data.close();
        onChunk(samples, performance.now());
      },
    });
    return () => detach();
  },
  spn256: (context, node, onChunk) => spnOut(context, node, onChunk, 256),
  spn1024: (context, node, onChunk) => spnOut(context, node, onChunk, 1024),
};

function spnOut(context, node, onChunk, bufferSize) {
  const spn = context.createScriptProcessor(bufferSize, 2, 1);
  spn.onaudioprocess = (e) => onChunk(e.inputBuffer.getChannelData(0).slice(), performance.now());
  node.connect(spn);
  return () => {
    spn.onaudioprocess = null;
    node.disconnect();
  };
}

/** Latency (ms) from a frame's render to its arrival in script: a ConstantSourceNode started at a known context time. */
async function outLatency(name) {
  const context = new g.AudioContext();
  const gain = new g.GainNode(context);
  let onset;
  const arrivals = [];
  const dispose = outBridges[name](context, gain, (samples, wall) => {
    if (onset && samples.some((x) => x > 0.5)) {
      arrivals.push(wall - onset.wall);
      onset = undefined;
    }
  });
  await sleep(200);
  for (let i = 0; i < ONSETS; i++) {
    const source = new g.ConstantSourceNode(context, { offset: 1 });
    source.connect(gain);
    const wall = performance.now();
    const at = context.currentTime + 0.05;
    // currentTime is the start of the quantum being rendered now: the onset renders 50 ms later.
    onset = { wall: wall + 50 };
    source.start(at);
    source.stop(at + 0.03);
    await sleep(150);
  }
  dispose();
  await context.close();
  return median(arrivals);
}

// ---- into the graph ---------------------------------------------------------------------------

/** A way into the graph: connect(context, track, node) → dispose. */
const inBridges = {
  ours(context, track, node) {
    const source = context.createMediaStreamTrackSource(track);
    source.connect(node);
    return () => source.disconnect();
  },
  curves(context, track, node) {
    // Value curves on a ConstantSourceNode's offset, one per chunk, end to end, 20 ms ahead (mono).
    const source = new g.ConstantSourceNode(context, { offset: 0 });
    source.connect(node);
    source.start();
    let next;
    const detach = attachSink(track, {
      media(data) {
        const now = context.currentTime;
        if (next === undefined || next < now + 0.008) next = Math.ceil((now + 0.02) * 48000) / 48000;
        const samples = new Float32Array(data.numberOfFrames);
        data.copyTo(samples, { planeIndex: 0, format: 'f32-planar' });
        source.offset.setValueCurveAtTime(samples, next - 1e-6 / 48000, (data.numberOfFrames - 1) / data.sampleRate);
        next += data.numberOfFrames / data.sampleRate;
        data.close();
      },
    });
    return () => (detach(), source.stop());
  },
  spn256(context, track, node) {
    const fifo = [];
    let offset = 0;
    const detach = attachSink(track, {
      media(data) {
        const samples = new Float32Array(data.numberOfFrames);
        data.copyTo(samples, { planeIndex: 0, format: 'f32-planar' });
        data.close();
        fifo.push(samples);
      },
    });
    const spn = context.createScriptProcessor(256, 1, 1);
    spn.onaudioprocess = (e) => {
      const out = e.outputBuffer.getChannelData(0);
      // Keep the queue short: a late event loses its buffer (the package plays silence), so the
      // queue would grow by that much each time.
      while (fifo.length > 3) fifo.shift(), (offset = 0);
      for (let i = 0; i < out.length && fifo.length > 0; i++) {
        out[i] = fifo[0][offset++];
        if (offset === fifo[0].length) fifo.shift(), (offset = 0);
      }
    };
    spn.connect(node);
    return () => {
      detach();
      spn.onaudioprocess = null;
      spn.disconnect();
    };
  },
};

/** Round trip (ms): a generator track → bridge in → our bridge out; an impulse written at a known time. */
async function roundTrip(name) {
  const context = new g.AudioContext();
  const generator = new g.MediaStreamTrackGenerator({ kind: 'audio' });
  const writer = generator.writable.getWriter();
  const gain = new g.GainNode(context);
  const disposeIn = inBridges[name](context, generator, gain);
  let onset;
  const arrivals = [];
  const disposeOut = outBridges.ours(context, gain, (samples, wall) => {
    if (onset && samples.some((x) => x > 0.5)) {
      arrivals.push(wall - onset);
      onset = undefined;
    }
  });
  // 10 ms chunks on the wall clock, like a microphone; every 15th a full-scale one.
  let n = 0;
  const timer = setInterval(() => {
    const impulse = n % 15 === 14;
    const data = new Float32Array(480).fill(impulse ? 1 : 0);
    if (impulse) onset = performance.now();
    writer.write(new g.AudioData({ format: 'f32-planar', sampleRate: 48000, numberOfFrames: 480, numberOfChannels: 1, timestamp: n * 10000, data }));
    n++;
  }, 10);
  while (arrivals.length < ONSETS) await sleep(50);
  clearInterval(timer);
  disposeIn();
  disposeOut();
  await writer.close();
  await context.close();
  return median(arrivals);
}

// ---- CPU --------------------------------------------------------------------------------------

/** CPU seconds per second of a set-up running CPU_SECONDS. */
async function cpu(setup) {
  const context = new g.AudioContext();
  const dispose = await setup(context);
  await sleep(300);
  const before = process.cpuUsage();
  const t0 = performance.now();
  await sleep(CPU_SECONDS * 1000);
  const used = process.cpuUsage(before);
  const seconds = (performance.now() - t0) / 1000;
  dispose?.();
  await context.close();
  return (used.user + used.system) / 1e6 / seconds;
}

const oscillator = (context) => {
  const osc = new g.OscillatorNode(context);
  osc.start();
  return osc;
};
const cpuCases = {
  'baseline (oscillator → analyser)': (context) => void oscillator(context).connect(new g.AnalyserNode(context)),
  'mic alone (→ a sink that drops it)': async (context) => {
    void context;
    const stream = await handle.mediaDevices.getUserMedia({ audio: true });
    const detach = attachSink(stream.getAudioTracks()[0], { media: (data) => data.close() });
    return () => (detach(), stream.getTracks()[0].stop());
  },
  'in: ours (mic → source node → analyser)': async (context) => {
    const stream = await handle.mediaDevices.getUserMedia({ audio: true });
    inBridges.ours(context, stream.getAudioTracks()[0], new g.AnalyserNode(context));
    return () => stream.getTracks()[0].stop();
  },
  'in: value curves (mic → analyser; not exact, see the last line)': async (context) => {
    const stream = await handle.mediaDevices.getUserMedia({ audio: true });
    const dispose = inBridges.curves(context, stream.getAudioTracks()[0], new g.AnalyserNode(context));
    return () => (dispose(), stream.getTracks()[0].stop());
  },
  'in: ScriptProcessorNode 256 (mic → output)': async (context) => {
    const stream = await handle.mediaDevices.getUserMedia({ audio: true });
    const dispose = inBridges.spn256(context, stream.getAudioTracks()[0], new g.AnalyserNode(context));
    return () => (dispose(), stream.getTracks()[0].stop());
  },
  'out: ours (oscillator → destination node → sink)': (context) => outBridges.ours(context, oscillator(context), () => {}),
  'out: ScriptProcessorNode 256 (input)': (context) => outBridges.spn256(context, oscillator(context), () => {}),
  'out: ScriptProcessorNode 1024 (input)': (context) => outBridges.spn1024(context, oscillator(context), () => {}),
};

/** Whether a process that made one ScriptProcessorNode and closed its context exits (within 5 s). */
function spnProcessExits() {
  const script = `const { AudioContext } = require('node-web-audio-api');
    const c = new AudioContext({ sinkId: { type: 'none' } }); c.createScriptProcessor(256, 1, 1);
    setTimeout(() => c.close(), 100);`;
  return new Promise((resolve) => execFile(process.execPath, ['-e', script], { timeout: 5000 }, (error) => resolve(!error)));
}

/**
 * Whether value curves play what they are given when added one by one as chunks come (each 10 ms,
 * 20 ms ahead): the cheaper way into the graph, which node-web-audio-api 1.0 does not always honour.
 * Returns how many of `runs` runs played all 4800 scheduled values.
 */
async function curvesPlayed(runs) {
  let good = 0;
  for (let run = 0; run < runs; run++) {
    const context = new g.AudioContext();
    const analyser = new g.AnalyserNode(context, { fftSize: 32768 });
    const source = new g.ConstantSourceNode(context, { offset: 0 });
    source.connect(analyser);
    source.start();
    const rate = context.sampleRate;
    let frame = Math.ceil((context.currentTime + 0.02) * rate);
    const curve = new Float32Array(480);
    for (let chunk = 0; chunk < 10; chunk++) {
      for (let i = 0; i < 480; i++) curve[i] = (chunk * 480 + i + 1) / 65536;
      source.offset.setValueCurveAtTime(curve, frame / rate, 479 / rate);
      frame += 480;
      await sleep(10);
    }
    await sleep(100);
    const samples = new Float32Array(32768);
    analyser.getFloatTimeDomainData(samples);
    if (new Set([...samples].filter((x) => x > 0).map((x) => Math.round(x * 65536))).size >= 4790) good++;
    await context.close();
  }
  return good;
}

console.log(`node-web-audio-api ${JSON.parse(readFileSync(join(dirname(require.resolve('node-web-audio-api')), 'package.json'), 'utf8')).version}, Node ${process.version}, ${ONSETS} onsets, CPU over ${CPU_SECONDS} s, two rounds`);
console.log('\nlatency (median ms)');
for (const name of Object.keys(outBridges)) console.log(`  out of the graph, ${name}: ${(await outLatency(name)).toFixed(1)}`);
const outOurs = await outLatency('ours');
for (const name of Object.keys(inBridges)) {
  const rt = await roundTrip(name);
  console.log(`  into the graph, ${name}: round trip ${rt.toFixed(1)}, less ours out (${outOurs.toFixed(1)}): ${(rt - outOurs).toFixed(1)}`);
}
console.log('\nCPU (s per s; extra = less the baseline)');
const rounds = Object.fromEntries(Object.keys(cpuCases).map((k) => [k, []]));
for (let round = 0; round < 2; round++) for (const [name, setup] of Object.entries(cpuCases)) rounds[name].push(await cpu(setup));
const base = Math.min(...rounds['baseline (oscillator → analyser)']);
for (const [name, values] of Object.entries(rounds)) {
  const best = Math.min(...values);
  console.log(`  ${name}: ${best.toFixed(3)} (extra ${(best - base).toFixed(3)})`);
}
console.log(`\na process that made a ScriptProcessorNode exits after close(): ${await spnProcessExits()}`);
console.log(`value curves added one by one played what they were given: ${await curvesPlayed(10)} of 10 runs`);
handle.uninstall();
// The ScriptProcessorNodes made above keep this process alive (see the last line).
process.exit(0);
