import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseMimeType } from '../../src/algorithms/recorder/mime-type.js';
import { clearFfmpegProbeCache, FFMPEG_ENV } from '../../src/backends/ffmpeg/index.js';
import { parseListing } from '../../src/backends/ffmpeg/probe.js';
import { MediaStream } from '../../src/interfaces/MediaStream.js';
import { cleanupTemp, MediaRecorder } from './helpers.js';

afterAll(cleanupTemp);

describe('parse a MIME type (WHATWG)', () => {
  it('lowercases type, subtype and parameter names, keeps values, reads quoted strings', () => {
    const m = parseMimeType(' Video/WebM ; CODECS="vp8, opus" ; x=1')!;
    expect([m.type, m.subtype]).toEqual(['video', 'webm']);
    expect([...m.parameters]).toEqual([['codecs', 'vp8, opus'], ['x', '1']]);
  });
  it('fails on strings that are not MIME types', () => {
    for (const bad of ['', 'video', 'video/', '/webm', 'vi deo/webm', 'video/we bm']) expect(parseMimeType(bad), bad).toBeNull();
  });
  it('keeps the first of repeated parameters and skips empty values', () => {
    expect([...parseMimeType('audio/ogg;codecs=opus;codecs=vorbis;x=')!.parameters]).toEqual([['codecs', 'opus']]);
  });
});

describe('ffmpeg listings', () => {
  it('reads encoder and muxer names after the separator', () => {
    const encoders = 'Encoders:\n V..... = Video\n ------\n V....D libvpx   libvpx VP8 (codec vp8)\n A..... libopus  libopus Opus\n';
    expect([...parseListing(encoders, /^[VAS][.A-Z]{5}$/)]).toEqual(['libvpx', 'libopus']);
    const muxers = 'File formats:\n D. = Demuxing supported\n --\n  E webm   WebM\n DE matroska,webm  Matroska\n';
    expect([...parseListing(muxers, /^D?E$/)]).toEqual(['webm', 'matroska']);
  });
});

describe('MediaRecorder.isTypeSupported', () => {
  const supported = [
    '',
    'video/webm',
    'video/webm;codecs=vp8',
    'video/webm;codecs=vp9',
    'video/webm;codecs=vp8,opus',
    'video/webm;codecs="vp9, opus"',
    'VIDEO/WEBM;CODECS=VP8,OPUS',
    'video/webm;codecs=opus',
    'audio/webm',
    'audio/webm;codecs=opus',
    'video/x-matroska',
    'video/x-matroska;codecs=avc1',
    'video/x-matroska;codecs=avc1.64001F,opus',
    'video/x-matroska;codecs=h264,pcm',
    'video/x-matroska;codecs=hvc1',
    'audio/x-matroska;codecs=pcm',
    'video/mp4',
    'video/mp4;codecs=avc1',
    'video/mp4;codecs=avc1.42E01E,opus',
    'video/mp4;codecs=hvc1',
    'video/mp4;codecs=vp9',
    'audio/mp4;codecs=opus',
    'audio/ogg',
    'audio/ogg;codecs=opus',
  ];
  const unsupported = [
    'video/invalid',
    'video/webm;codecs=h264',
    'video/webm;codecs=avc1',
    'video/webm;codecs=pcm',
    'video/webm;codecs=vp8,vp9',
    'video/webm;codecs=opus,pcm',
    'audio/webm;codecs=vp8',
    'audio/ogg;codecs=vp8',
    'audio/ogg;codecs=pcm',
    'video/ogg',
    'video/mp4;codecs=vp8',
    'video/mp4;codecs=pcm',
    'text/plain',
    'video/webm;codecs=vp8,h264',
    // ffmpeg 5.1's AV1 encoders do not stream reliably (see MUXER_CODECS in src/backends/ffmpeg/args.ts).
    'video/webm;codecs=av1,opus',
    'video/mp4;codecs=av01.0.04M.08',
    'webm',
    // Not synchronously exposed (§2.3 step 9): isTypeSupported is false, the constructor accepts it.
    'video/mp4;codecs=avc1,mp4a.40.2',
    'audio/mp4;codecs=mp4a.40.2',
    'video/webm;codecs=vorbis',
  ];
  it.each(supported)('%s is supported', (type) => expect(MediaRecorder.isTypeSupported(type)).toBe(true));
  it.each(unsupported)('%s is not supported', (type) => expect(MediaRecorder.isTypeSupported(type)).toBe(false));

  it('the constructor accepts codecs that are not synchronously exposed (deferNewerCodecsCheck)', () => {
    const r = new MediaRecorder(new MediaStream(), { mimeType: 'video/mp4;codecs=avc1,mp4a.40.2' });
    expect(r.mimeType).toBe('video/mp4;codecs=avc1,mp4a.40.2');
  });

  it('needs one argument and converts it to a string', () => {
    expect(() => (MediaRecorder.isTypeSupported as (...a: unknown[]) => boolean)()).toThrow(TypeError);
    expect(MediaRecorder.isTypeSupported({ toString: () => 'audio/webm' } as never)).toBe(true);
  });
});

describe('without ffmpeg', () => {
  const saved = process.env[FFMPEG_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[FFMPEG_ENV];
    else process.env[FFMPEG_ENV] = saved;
    clearFfmpegProbeCache();
  });

  it('nothing is supported and the constructor says how to install ffmpeg', () => {
    process.env[FFMPEG_ENV] = '/nonexistent/ffmpeg';
    clearFfmpegProbeCache();
    for (const type of ['', 'video/webm', 'audio/webm;codecs=opus', 'video/mp4']) expect(MediaRecorder.isTypeSupported(type), type).toBe(false);
    let error: unknown;
    try {
      new MediaRecorder(new MediaStream());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('NotSupportedError');
    expect((error as DOMException).message).toContain('apt-get install ffmpeg');
    expect((error as DOMException).message).toContain(FFMPEG_ENV);
  });

  it(`${FFMPEG_ENV} names the binary`, () => {
    process.env[FFMPEG_ENV] = '/usr/bin/ffmpeg';
    clearFfmpegProbeCache();
    expect(MediaRecorder.isTypeSupported('video/webm')).toBe(true);
  });
});
