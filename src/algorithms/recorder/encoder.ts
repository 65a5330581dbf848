/**
 * How the recorder finds its encoder: the encoder backends of the backend registry
 * (src/backends/registry.ts, kind "encoder"), the latest registered first; the first available
 * one that supports a configuration is used. The contract an encoder backend implements is
 * src/backends/encoder.ts.
 */
import type { EncoderBackend } from '../../backends/encoder.js';
import { backendRegistry, registerBackend } from '../../backends/registry.js';
import type { AudioCodec, Container, VideoCodec } from './formats.js';

export type { AudioEncoderConfig, EncoderBackend, EncoderCallbacks, EncoderConfig, EncoderSession, FinishOptions, FinishResult, InputQueue, VideoEncoderConfig } from '../../backends/encoder.js';

/**
 * Registers an encoder backend for MediaRecorder, tried before those registered earlier (the
 * package's ffmpeg). The same as `registerBackend` with kind "encoder". Returns a function that
 * unregisters it.
 */
export function registerEncoderBackend(backend: EncoderBackend): () => void {
  return registerBackend({ name: backend.name, kinds: ['encoder'], supports: () => backend.available(), create: () => backend });
}

/** The registered backends that are available here, in the order they are tried. */
export function availableEncoderBackends(): EncoderBackend[] {
  return backendRegistry.encoders().filter((b) => b.available());
}

/** The first available backend that supports the combination, or undefined. */
export function encoderBackendFor(container: Container, video: VideoCodec | null, audio: AudioCodec | null): EncoderBackend | undefined {
  return availableEncoderBackends().find((b) => b.supports(container, video, audio));
}

/** Why nothing can record here: the unavailable backends' messages. */
export function noEncoderMessage(): string {
  return backendRegistry.encoders().map((b) => b.unavailableMessage).join(' ') || 'No encoder backend is registered.';
}
