/**
 * The package's own backends, registered at its entry (src/index.ts, and every installGlobals):
 * one line each. The order is the order `auto` tries them in and error messages list them in.
 * A backend of your own is registered the same way, with `registerBackend` (registry.ts).
 */
import { alsaBackend } from './alsa/backend.js';
import { builtinBackend, builtinScreenBackend } from './builtin/backend.js';
import { ffmpegEncoderPlugin, prewarmFfmpegProbe } from './ffmpeg/index.js';
import { fileBackend, screenFileBackend } from './file/backend.js';
import { pulseBackend } from './pulse/backend.js';
import { backendRegistry, type BackendRegistry } from './registry.js';
import { v4l2Backend } from './v4l2/backend.js';
import { x11Backend } from './x11/backend.js';

const done = new WeakSet<BackendRegistry>();

/** Registers the package's backends in `registry` (once; later calls do nothing). */
export function registerPackageBackends(registry: BackendRegistry = backendRegistry): void {
  if (done.has(registry)) return;
  done.add(registry);
  registry.register(builtinBackend);
  registry.register(pulseBackend);
  registry.register(v4l2Backend);
  registry.register(fileBackend);
  registry.register(x11Backend);
  registry.register(screenFileBackend);
  registry.register(builtinScreenBackend);
  registry.register(alsaBackend);
  registry.register(ffmpegEncoderPlugin);
  // What ffmpeg can encode, found now and off the event loop (or read from the persisted
  // answer), so that MediaRecorder.isTypeSupported(), synchronous by spec, finds it ready.
  prewarmFfmpegProbe();
}
