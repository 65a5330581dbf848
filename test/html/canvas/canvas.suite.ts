/**
 * Canvas pixels, `captureStream()` and `CanvasCaptureMediaStreamTrack`, run under a DOM test
 * environment (jsdom or happy-dom) with `installGlobals()` on its global, as a user's test would.
 * Checked against HTML's canvas section and mediacapture-fromelement §4.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installGlobals, type MediaCaptureHandle } from '../../../src/index.js';
import { setCurrentFrame } from '../../../src/html/current-frame.js';
import { VideoFrame } from '../../../src/webcodecs/index.js';
import { MediaStreamTrackProcessor } from '../../../src/interfaces/MediaStreamTrackProcessor.js';
import { VideoTrackGenerator } from '../../../src/interfaces/VideoTrackGenerator.js';
import { MediaRecorder } from '../../../src/interfaces/MediaRecorder.js';
import type { MediaStreamTrack } from '../../../src/interfaces/MediaStreamTrack.js';
import { cleanupTemp, ffprobe, tempFile } from '../../recorder/helpers.js';
import { turns, waitFor } from '../../helpers/wait.js';

type Ctx = CanvasRenderingContext2D;

function canvasOf(width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

function fill(ctx: Ctx, color: string): void {
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
}

/** Every frame a track gives, as it comes (RGBA bytes of the first pixel, size, format). */
function frames(track: MediaStreamTrack) {
  const got: { format: string | null; width: number; height: number; first: number[] }[] = [];
  const reader = new MediaStreamTrackProcessor({ track: track as never }).readable.getReader();
  let waiting: (() => void) | null = null;
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const frame = value as VideoFrame;
      const bytes = new Uint8Array(frame.allocationSize({ format: 'RGBA' }));
      await frame.copyTo(bytes, { format: 'RGBA' });
      got.push({ format: frame.format, width: frame.codedWidth, height: frame.codedHeight, first: [...bytes.subarray(0, 4)] });
      frame.close();
      waiting?.();
    }
  })();
  return {
    got,
    /** Resolves once `n` frames came in all. */
    async count(n: number) {
      while (got.length < n) await new Promise<void>((resolve) => (waiting = resolve));
    },
  };
}

export function canvasSuite(environment: 'jsdom' | 'happy-dom'): void {
  let handle: MediaCaptureHandle;
  beforeAll(() => {
    handle = installGlobals(globalThis, { backends: 'builtin' });
  });
  afterAll(() => {
    handle.uninstall();
    cleanupTemp();
  });

  describe(`canvas pixels (${environment}, @napi-rs/canvas)`, () => {
    it('draws and reads back real pixels; context.canvas is the element; one context per canvas', () => {
      const canvas = canvasOf(8, 4);
      const ctx = canvas.getContext('2d')!;
      expect(ctx).not.toBeNull();
      expect(ctx.canvas).toBe(canvas);
      expect(canvas.getContext('2d')).toBe(ctx);
      fill(ctx, 'rgb(10, 200, 30)');
      expect([...ctx.getImageData(7, 3, 1, 1).data]).toEqual([10, 200, 30, 255]);
      expect(canvas.getContext('webgl')).toBeNull();
    });

    it('setting width or height resizes and clears the bitmap and resets the context, even to the same value', () => {
      const canvas = canvasOf(8, 4);
      const ctx = canvas.getContext('2d')!;
      fill(ctx, 'red');
      canvas.width = 16;
      expect(ctx.getImageData(0, 0, 16, 4).data.every((v) => v === 0)).toBe(true);
      expect(ctx.fillStyle).toBe('#000000');
      fill(ctx, 'red');
      const sameHeight = canvas.height;
      canvas.height = sameHeight;
      expect([...ctx.getImageData(0, 0, 1, 1).data]).toEqual([0, 0, 0, 0]);
      canvas.setAttribute('height', '9');
      fill(ctx, 'blue');
      expect([...ctx.getImageData(15, 8, 1, 1).data]).toEqual([0, 0, 255, 255]);
    });

    it('putImageData takes the pixels; toDataURL and toBlob give PNG files of them', async () => {
      const canvas = canvasOf(2, 1);
      const ctx = canvas.getContext('2d')!;
      const image = ctx.createImageData(2, 1);
      image.data.set([255, 0, 0, 255, 0, 0, 255, 255]);
      ctx.putImageData(image, 0, 0);
      expect([...ctx.getImageData(0, 0, 2, 1).data]).toEqual([255, 0, 0, 255, 0, 0, 255, 255]);
      const url = canvas.toDataURL();
      expect(url.startsWith('data:image/png;base64,')).toBe(true);
      const png = Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
      expect([...png.subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve));
      expect(blob!.type).toBe('image/png');
      expect(Buffer.from(await blob!.arrayBuffer()).equals(png)).toBe(true);
      expect(canvasOf(0, 5).toDataURL()).toBe('data:,');
    });

    it('drawImage draws another canvas, a VideoFrame, and the current frame of a <video>', () => {
      const source = canvasOf(4, 4);
      fill(source.getContext('2d')!, 'rgb(0, 0, 255)');
      const target = canvasOf(4, 4).getContext('2d')!;
      target.drawImage(source, 0, 0);
      expect([...target.getImageData(3, 3, 1, 1).data]).toEqual([0, 0, 255, 255]);

      const frame = new VideoFrame(new Uint8Array(4 * 4 * 4).fill(255).map((v, i) => (i % 4 === 1 ? 0 : v)), { format: 'RGBA', codedWidth: 4, codedHeight: 4, timestamp: 0 });
      target.drawImage(frame as never, 0, 0, 2, 2);
      expect([...target.getImageData(1, 1, 1, 1).data]).toEqual([255, 0, 255, 255]);
      expect([...target.getImageData(3, 3, 1, 1).data]).toEqual([0, 0, 255, 255]);

      // A video with no current frame draws nothing (HTML: HAVE_NOTHING is "bad", not an error).
      const video = document.createElement('video');
      target.drawImage(video, 0, 0);
      expect([...target.getImageData(0, 0, 1, 1).data]).toEqual([255, 0, 255, 255]);
      const green = new VideoFrame(new Uint8Array(16).fill(0).map((_, i) => (i % 4 === 1 || i % 4 === 3 ? 255 : 0)), { format: 'RGBA', codedWidth: 2, codedHeight: 2, timestamp: 0 });
      setCurrentFrame(video, green);
      target.drawImage(video, 0, 0, 4, 4);
      expect([...target.getImageData(3, 3, 1, 1).data]).toEqual([0, 255, 0, 255]);
      setCurrentFrame(video, null);
      green.close();

      frame.close();
      expect(() => target.drawImage(frame as never, 0, 0)).toThrow(expect.objectContaining({ name: 'InvalidStateError' }));
      expect(() => target.drawImage({} as never, 0, 0)).toThrow(TypeError);
    });

    it('OffscreenCanvas has a 2D context with pixels and convertToBlob', async () => {
      const offscreen = new OffscreenCanvas(3, 2);
      const ctx = offscreen.getContext('2d')!;
      expect(ctx.canvas).toBe(offscreen);
      ctx.fillStyle = 'rgb(1, 2, 3)';
      ctx.fillRect(0, 0, 3, 2);
      expect([...ctx.getImageData(2, 1, 1, 1).data]).toEqual([1, 2, 3, 255]);
      const blob = await offscreen.convertToBlob();
      expect(blob.type).toBe('image/png');
      offscreen.width = 3;
      expect([...ctx.getImageData(0, 0, 1, 1).data]).toEqual([0, 0, 0, 0]);
      expect(() => offscreen.getContext('nope' as never)).toThrow(TypeError);
    });

    it('new VideoFrame(canvas, {timestamp}) copies the canvas: RGBA, or RGBX for an opaque canvas or alpha "discard"', async () => {
      const canvas = canvasOf(4, 2);
      fill(canvas.getContext('2d')!, 'rgb(5, 6, 7)');
      const frame = new VideoFrame(canvas as never, { timestamp: 1234 });
      expect([frame.format, frame.codedWidth, frame.codedHeight, frame.timestamp]).toEqual(['RGBA', 4, 2, 1234]);
      const bytes = new Uint8Array(frame.allocationSize());
      await frame.copyTo(bytes);
      expect([...bytes.subarray(0, 4)]).toEqual([5, 6, 7, 255]);
      frame.close();
      const discarded = new VideoFrame(canvas as never, { timestamp: 0, alpha: 'discard' });
      expect(discarded.format).toBe('RGBX');
      discarded.close();
      expect(() => new VideoFrame(canvas as never)).toThrow(TypeError);
      const offscreen = new OffscreenCanvas(3, 3);
      offscreen.getContext('2d', { alpha: false });
      const opaque = new VideoFrame(offscreen as never, { timestamp: 0 });
      expect([opaque.format, opaque.codedWidth]).toEqual(['RGBX', 3]);
      opaque.close();
      expect(() => new VideoFrame(canvasOf(0, 2) as never, { timestamp: 0 })).toThrow(expect.objectContaining({ name: 'InvalidStateError' }));
    });

    it('a cross-origin <video> taints the canvas: getImageData, toDataURL and captureStream throw SecurityError, captures mute', async () => {
      const canvas = canvasOf(2, 2);
      const ctx = canvas.getContext('2d')!;
      const track = canvas.captureStream().getVideoTracks()[0]!;
      const video = document.createElement('video');
      video.src = 'https://elsewhere.example/clip.webm';
      const frame = new VideoFrame(new Uint8Array(16).fill(200), { format: 'RGBA', codedWidth: 2, codedHeight: 2, timestamp: 0 });
      setCurrentFrame(video, frame);
      ctx.drawImage(video, 0, 0);
      setCurrentFrame(video, null);
      frame.close();
      expect(() => ctx.getImageData(0, 0, 1, 1)).toThrow(expect.objectContaining({ name: 'SecurityError' }));
      expect(() => canvas.toDataURL()).toThrow(expect.objectContaining({ name: 'SecurityError' }));
      expect(() => canvas.captureStream()).toThrow(expect.objectContaining({ name: 'SecurityError' }));
      await waitFor(track, 'mute');
      expect(track.muted).toBe(true);
      track.stop();
    });
  });

  describe(`captureStream() and CanvasCaptureMediaStreamTrack (${environment})`, () => {
    it('gives a stream with one CanvasCaptureMediaStreamTrack of the canvas, sized as the canvas', () => {
      const canvas = canvasOf(320, 200);
      const stream = canvas.captureStream();
      expect(stream).toBeInstanceOf(MediaStream);
      expect(stream.getTracks()).toHaveLength(1);
      const track = stream.getVideoTracks()[0] as unknown as CanvasCaptureMediaStreamTrack;
      expect(track).toBeInstanceOf(CanvasCaptureMediaStreamTrack);
      expect(track).toBeInstanceOf(MediaStreamTrack);
      expect(track.kind).toBe('video');
      expect(track.canvas).toBe(canvas);
      expect(track.getSettings()).toMatchObject({ width: 320, height: 200 });
      expect(() => new (CanvasCaptureMediaStreamTrack as unknown as new () => unknown)()).toThrow(TypeError);
      track.stop();
    });

    it('frameRequestRate: negative is NotSupportedError, not finite is TypeError', () => {
      const canvas = canvasOf(2, 2);
      expect(() => canvas.captureStream(-1)).toThrow(expect.objectContaining({ name: 'NotSupportedError' }));
      expect(() => canvas.captureStream(Number.NaN)).toThrow(TypeError);
      expect(() => canvas.captureStream(Number.POSITIVE_INFINITY)).toThrow(TypeError);
    });

    it('adds a frame of the drawn pixels when the canvas is painted with new content, and none without', async () => {
      const canvas = canvasOf(6, 4);
      const ctx = canvas.getContext('2d')!;
      const track = canvas.captureStream().getVideoTracks()[0]!;
      const sink = frames(track as never);
      // Nothing was drawn since the capture began: no frame ("a captured track not starting until something changes").
      await turns(5);
      expect(sink.got).toHaveLength(0);
      fill(ctx, 'rgb(255, 0, 0)');
      await sink.count(1);
      expect(sink.got[0]).toEqual({ format: 'RGBA', width: 6, height: 4, first: [255, 0, 0, 255] });
      // The drawing calls of one task are one paint: one frame.
      fill(ctx, 'rgb(0, 255, 0)');
      fill(ctx, 'rgb(0, 0, 255)');
      await sink.count(2);
      await turns(5);
      expect(sink.got).toHaveLength(2);
      expect(sink.got[1]!.first).toEqual([0, 0, 255, 255]);
      // A resize is new content, at the new size.
      canvas.width = 10;
      await sink.count(3);
      expect(sink.got[2]).toMatchObject({ width: 10, height: 4, first: [0, 0, 0, 0] });
      expect(track.getSettings()).toMatchObject({ width: 10, height: 4 });
      track.stop();
    });

    it('an opaque context ({alpha: false}) gives RGBX frames', async () => {
      const canvas = canvasOf(2, 2);
      const ctx = canvas.getContext('2d', { alpha: false })!;
      const track = canvas.captureStream().getVideoTracks()[0]!;
      const sink = frames(track as never);
      fill(ctx, 'rgb(9, 8, 7)');
      await sink.count(1);
      expect(sink.got[0]).toMatchObject({ format: 'RGBX', first: [9, 8, 7, 255] });
      track.stop();
    });

    it('frameRequestRate 0: the first paint, then only after requestFrame()', async () => {
      const canvas = canvasOf(2, 2);
      const ctx = canvas.getContext('2d')!;
      const track = canvas.captureStream(0).getVideoTracks()[0] as unknown as CanvasCaptureMediaStreamTrack;
      const sink = frames(track as never);
      fill(ctx, 'rgb(1, 0, 0)');
      await sink.count(1);
      fill(ctx, 'rgb(2, 0, 0)');
      await turns(5);
      expect(sink.got).toHaveLength(1);
      track.requestFrame();
      fill(ctx, 'rgb(3, 0, 0)');
      await sink.count(2);
      expect(sink.got[1]!.first).toEqual([3, 0, 0, 255]);
      // requestFrame() without new content adds nothing until the canvas changes.
      track.requestFrame();
      await turns(5);
      expect(sink.got).toHaveLength(2);
      fill(ctx, 'rgb(4, 0, 0)');
      await sink.count(3);
      expect(sink.got[2]!.first).toEqual([4, 0, 0, 255]);
      track.stop();
    });

    it('records a 320x200 canvas at 320x200 (ffprobe)', async () => {
      const canvas = canvasOf(320, 200);
      const ctx = canvas.getContext('2d')!;
      const stream = canvas.captureStream();
      const recorder = new MediaRecorder(stream as never, { mimeType: 'video/webm;codecs=vp8' });
      const chunks: Blob[] = [];
      recorder.ondataavailable = (e) => chunks.push(e.data);
      recorder.start();
      await waitFor(recorder, 'start');
      for (let i = 0; i < 10; i++) {
        fill(ctx, `rgb(${i * 20}, 100, 50)`);
        await turns(2);
      }
      const stopped = waitFor(recorder, 'stop');
      recorder.stop();
      await stopped;
      const path = tempFile(new Uint8Array(await new Blob(chunks).arrayBuffer()), 'webm');
      const video = ffprobe(path).streams.find((s) => s.codec_type === 'video')!;
      expect([video.width, video.height]).toEqual([320, 200]);
      for (const t of stream.getTracks()) t.stop();
    });

    it('records a VideoTrackGenerator track at the size of its frames', async () => {
      const generator = new VideoTrackGenerator();
      const writer = generator.writable.getWriter();
      const canvas = canvasOf(176, 144);
      const ctx = canvas.getContext('2d')!;
      const write = async (i: number) => {
        fill(ctx, `rgb(${i * 20}, 0, 0)`);
        const data = ctx.getImageData(0, 0, 176, 144).data;
        await writer.write(new VideoFrame(data, { format: 'RGBA', codedWidth: 176, codedHeight: 144, timestamp: i * 33_333 }));
      };
      await write(0);
      const recorder = new MediaRecorder(new MediaStream([generator.track as never]) as never, { mimeType: 'video/webm;codecs=vp8' });
      const chunks: Blob[] = [];
      recorder.ondataavailable = (e) => chunks.push(e.data);
      recorder.start();
      await waitFor(recorder, 'start');
      for (let i = 1; i < 8; i++) {
        await write(i);
        await turns(2);
      }
      const stopped = waitFor(recorder, 'stop');
      recorder.stop();
      await stopped;
      const path = tempFile(new Uint8Array(await new Blob(chunks).arrayBuffer()), 'webm');
      const video = ffprobe(path).streams.find((s) => s.codec_type === 'video')!;
      expect([video.width, video.height]).toEqual([176, 144]);
      generator.track.stop();
    });
  });
}

