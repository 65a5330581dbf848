/**
 * The ffmpeg encoder backend of MediaRecorder: real encoders (libvpx, libvpx-vp9, SVT-AV1 or
 * libaom, x264, x265, libopus, ffmpeg's AAC) and muxers (WebM, Matroska, MP4, Ogg) of the system
 * ffmpeg, run as a child process per recording.
 *
 * ## Why the system ffmpeg and not in-process FFmpeg bindings from npm
 *
 * Checked here (Node 20, npm 11, install scripts not approved): `node-av@6.1.1`
 * installs cleanly without running its install scripts: its prebuilt N-API addon comes in the
 * optional dependency `@seydx/node-av-linux-x64`, loads in 80 ms and has libvpx, libx264, libopus,
 * aac and SVT-AV1. A 300-frame 1280×720 VP8 real-time encode (cpu-used 8, 2.5 Mbit/s) took 3.2 s
 * through it against 5.1 s for the ffmpeg 5.1 CLI fed the same frames through a pipe (node-av
 * bundles libvpx 1.15, Debian 12 has 1.12). Both are several times real time for 720p30. The
 * others: `beamcoder` and `@mmomtchev/ffmpeg` build from source in install scripts (not run here);
 * `@ffmpeg/ffmpeg` and `libav.js` are WebAssembly builds, single-threaded and without x264;
 * `ffmpeg-static` and `@ffmpeg-installer/ffmpeg` only download a binary.
 *
 * We use the system ffmpeg because:
 * - **Crash isolation.** The spec's error path (an `error` event, then the data so far, then
 *   `stop`) needs the encoder to be able to die without taking the application with it. A
 *   segfault or abort in an in-process codec ends the Node process; a child process dies alone,
 *   and `OwnedProcess` reaps it and reports the exit.
 * - **Size.** node-av's addon is 175 MB (209 MB installed) for one platform, a heavy hard
 *   dependency for a package whose other parts need none; ffmpeg is one `apt-get install ffmpeg`.
 * - **Licensing.** The prebuilt addon links x264 and x265 (GPL) into the addon; depending on it
 *   would make every install of this MIT package carry GPL code. A system ffmpeg is the user's
 *   own choice of build.
 * - **Updates.** Debian ships security fixes for ffmpeg and its codecs; a bundled copy is updated
 *   only when the package author rebuilds it.
 * - **Enough speed.** The bench (bench/record.mjs, bench/README.md) measures the recorder against
 *   ffmpeg alone on the same frames; the child process costs one copy of each frame into a socket.
 *
 * An in-process backend can still be added behind the same `EncoderBackend` contract
 * (src/backends/encoder.ts), registered as an encoder backend, if the trade-offs change.
 */
import type { AudioCodec, Container, EncoderBackend, EncoderCallbacks, EncoderConfig, EncoderSession, VideoCodec } from '../encoder.js';
import type { EncoderBackendPlugin } from '../registry.js';
import { ENCODERS, MUXERS, MUXER_CODECS } from './args.js';
import { FfmpegEncoderSession } from './encoder-session.js';
import { FFMPEG_ENV, ffmpegPath, probeFfmpeg, type FfmpegCapabilities } from './probe.js';

export { FFMPEG_ENV, ffmpegPath, probeFfmpeg, probeFfmpegAsync, prewarmFfmpegProbe, clearFfmpegProbeCache } from './probe.js';

function encoderFor(caps: FfmpegCapabilities, codec: VideoCodec | AudioCodec): string | undefined {
  return ENCODERS[codec].find((name) => caps.encoders.has(name));
}

function capabilities(): FfmpegCapabilities | null {
  const caps = probeFfmpeg();
  // Raw media reaches ffmpeg through Unix sockets (see socket-input.ts).
  return caps && caps.inputProtocols.has('unix') ? caps : null;
}

/** MediaRecorder's encoder backend that runs the system ffmpeg. */
export const ffmpegBackend: EncoderBackend = {
  name: 'ffmpeg',
  available: () => capabilities() !== null,
  get unavailableMessage() {
    return (
      `Recording needs the ffmpeg program, which could not be run as "${ffmpegPath()}". ` +
      `Install it with: apt-get install ffmpeg (or set ${FFMPEG_ENV} to the path of an ffmpeg binary).`
    );
  },
  supports(container: Container, video: VideoCodec | null, audio: AudioCodec | null): boolean {
    const caps = capabilities();
    if (!caps || !caps.muxers.has(MUXERS[container])) return false;
    if (video === null && audio === null) return false;
    for (const codec of [video, audio]) {
      if (codec === null) continue;
      if (!MUXER_CODECS[container].includes(codec) || encoderFor(caps, codec) === undefined) return false;
    }
    return true;
  },
  start(config: EncoderConfig, callbacks: EncoderCallbacks): EncoderSession {
    const caps = capabilities();
    if (!caps) throw new Error('internal: ffmpeg backend started while unavailable');
    return new FfmpegEncoderSession(
      caps,
      config,
      {
        video: config.video ? encoderFor(caps, config.video.codec) : undefined,
        audio: config.audio ? encoderFor(caps, config.audio.codec) : undefined,
      },
      callbacks,
    );
  },
};

/** `ffmpeg`, the encoder backend the package registers. */
export const ffmpegEncoderPlugin: EncoderBackendPlugin = {
  name: 'ffmpeg',
  kinds: ['encoder'],
  supports: () => ffmpegBackend.available(),
  create: () => ffmpegBackend,
};
