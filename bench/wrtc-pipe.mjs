#!/usr/bin/env node
// How the wrtc stack's frames should cross to its host process: 300 frames of 640x360 I420
// (345,600 bytes) to a forked child, through the IPC channel with `serialization: 'advanced'`
// (a structured clone per message) or through an extra stdio pipe with src/webrtc/wrtc/protocol.ts's
// records (what the stack does); CPU per frame on each side and the wall time.
// Usage: npm run build && node bench/wrtc-pipe.mjs
import { fork } from 'node:child_process';
import { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { MediaReader, MediaType, mediaHeader } from '../dist/webrtc/wrtc/protocol.js';

const FRAMES = 300;
const SIZE = (640 * 360 * 3) / 2;

function cpuMs(since) {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
}

if (process.argv[2] === 'child') {
  const mode = process.argv[3];
  let got = 0;
  const start = process.cpuUsage();
  const done = () => process.send({ done: cpuMs(start) });
  if (mode === 'ipc') {
    process.on('message', (m) => m.frame && ++got === FRAMES && done());
  } else {
    const socket = new Socket({ fd: 4, readable: true, writable: true });
    const reader = new MediaReader(() => ++got === FRAMES && done());
    socket.on('data', (chunk) => reader.push(chunk));
  }
  process.send({ ready: true });
} else {
  for (const mode of ['ipc', 'pipe']) {
    const child = fork(fileURLToPath(import.meta.url), ['child', mode], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc', 'pipe'] });
    await new Promise((resolve) => child.once('message', resolve));
    const frame = Buffer.alloc(SIZE, 7);
    const start = process.cpuUsage();
    const t0 = performance.now();
    const childMs = new Promise((resolve) => child.on('message', (m) => m.done !== undefined && resolve(m.done)));
    for (let i = 0; i < FRAMES; i++) {
      if (mode === 'ipc') child.send({ frame: new Uint8Array(frame) });
      else {
        child.stdio[4].write(mediaHeader(MediaType.video, 1, 640, 360, 0, SIZE));
        child.stdio[4].write(frame);
      }
      if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
    }
    const theirs = await childMs;
    console.log(`${mode}: ${(cpuMs(start) / FRAMES).toFixed(3)} ms of our CPU per frame, ${(theirs / FRAMES).toFixed(3)} ms of the child's; ${Math.round(performance.now() - t0)} ms for ${FRAMES} frames`);
    child.kill();
  }
}
