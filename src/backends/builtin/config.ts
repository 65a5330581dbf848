import type { AudioMode, DeviceKind, VideoFacingMode, VideoMode } from '../../media/modes.js';
import type { ToneOptions } from '../../media/synthetic/tone.js';

/**
 * Configuration of one built-in synthetic device. Every field is optional except `kind`.
 *
 * @example
 * { kind: 'videoinput', label: 'Rear camera', facingMode: 'environment',
 *   modes: [{ width: 640, height: 480, frameRate: 30 }] }
 */
export interface BuiltinDeviceConfig {
  kind: DeviceKind;
  /** Stable id within the builtin backend (hashed per origin into `deviceId`). Default: derived from kind and position. */
  id?: string;
  label?: string;
  /** Devices with the same group share `groupId`. Default: the id. */
  group?: string;
  /** Listed first among its kind. Default: the first device of each kind. */
  isDefault?: boolean;
  /** videoinput only. Default "user". */
  facingMode?: VideoFacingMode;
  /** videoinput: the native modes. Default 640x480, 1280x720 and 1920x1080 at 30 fps. */
  videoModes?: VideoMode[];
  /** audioinput/audiooutput: the native modes. Default 48 kHz and 44.1 kHz, mono and stereo, 16-bit, 10 ms. */
  audioModes?: AudioMode[];
  /** audioinput: the processing switches the device offers. Default [true, false] for each. */
  echoCancellation?: boolean[];
  autoGainControl?: boolean[];
  noiseSuppression?: boolean[];
  /**
   * audioinput: what the synthetic microphone plays. Default a 440 Hz sine at amplitude 0.25.
   * `frequency: 0` or `amplitude: 0` is silence; `noise` mixes in white or pink noise;
   * `gap` breaks the tone into bursts.
   */
  tone?: Omit<ToneOptions, 'sampleRate'>;
}

export const DEFAULT_VIDEO_MODES: VideoMode[] = [
  { width: 640, height: 480, frameRate: 30, pixelFormat: 'I420' },
  { width: 1280, height: 720, frameRate: 30, pixelFormat: 'I420' },
  { width: 1920, height: 1080, frameRate: 30, pixelFormat: 'I420' },
];

export const DEFAULT_AUDIO_MODES: AudioMode[] = [
  { sampleRate: 48000, channelCount: 1, sampleSize: 16, latency: 0.01 },
  { sampleRate: 48000, channelCount: 2, sampleSize: 16, latency: 0.01 },
  { sampleRate: 44100, channelCount: 1, sampleSize: 16, latency: 0.01 },
  { sampleRate: 44100, channelCount: 2, sampleSize: 16, latency: 0.01 },
];

/** The default set, like Chrome's fake devices: one camera, one microphone, one audio output. */
export const DEFAULT_BUILTIN_DEVICES: BuiltinDeviceConfig[] = [
  { kind: 'audioinput', id: 'builtin-microphone', label: 'Built-in Microphone (synthetic)', group: 'builtin-audio' },
  { kind: 'videoinput', id: 'builtin-camera', label: 'Built-in Camera (synthetic)', group: 'builtin-camera' },
  { kind: 'audiooutput', id: 'builtin-speaker', label: 'Built-in Speaker (synthetic)', group: 'builtin-audio' },
];
