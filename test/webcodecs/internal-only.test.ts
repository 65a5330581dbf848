// Imports nothing but the internal module, as the media pipeline does: the classes must still load.
import { expect, it } from 'vitest';
import { audioDataFromBuffer, videoFrameFromPlanes } from '../../src/webcodecs/internal.js';

it('videoFrameFromPlanes and audioDataFromBuffer work when only internal.ts is imported', async () => {
  const frame = videoFrameFromPlanes({ format: 'RGBA', codedWidth: 1, codedHeight: 1, timestamp: 3, data: new Uint8Array([1, 2, 3, 4]) });
  expect(Object.prototype.toString.call(frame)).toBe('[object VideoFrame]');
  const out = new Uint8Array(4);
  await frame.copyTo(out);
  expect(Array.from(out)).toEqual([1, 2, 3, 4]);
  const audio = audioDataFromBuffer({ format: 'u8', sampleRate: 8000, numberOfFrames: 1, numberOfChannels: 1, timestamp: 0, data: new Uint8Array([200]) });
  expect(audio.numberOfFrames).toBe(1);
});
