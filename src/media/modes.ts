/**
 * The native modes a device can run in. A DeviceProvider lists them; SelectSettings builds its
 * candidate settings from them (and, with resizeMode "crop-and-scale", from every smaller size and
 * lower frame rate).
 */

/** One native video mode: a size and a frame rate the device produces without scaling. */
export interface VideoMode {
  readonly width: number;
  readonly height: number;
  readonly frameRate: number;
  /** The pixel format the backend reads in this mode (e.g. "YUYV", "MJPEG", "I420"); informative. */
  readonly pixelFormat?: string;
}

/** One native audio mode. */
export interface AudioMode {
  readonly sampleRate: number;
  readonly channelCount: number;
  /** Bits per sample, e.g. 16 or 32. */
  readonly sampleSize: number;
  /** Seconds of latency the device adds in this mode. */
  readonly latency: number;
}

export type DeviceKind = 'audioinput' | 'audiooutput' | 'videoinput';
export type MediaKind = 'audio' | 'video';

export type VideoFacingMode = 'user' | 'environment' | 'left' | 'right';

/** A device as a backend sees it, before per-origin ids and exposure rules are applied. */
export interface DeviceDescriptor {
  /** Stable within the provider across runs (e.g. a PulseAudio source name or /dev/video path). Never shown to script. */
  readonly rawId: string;
  readonly kind: DeviceKind;
  readonly label: string;
  /** Devices that belong to one physical product share a group key (hashed per origin into groupId). */
  readonly groupKey: string;
  readonly facingMode?: VideoFacingMode;
  /** videoinput: the native modes. */
  readonly videoModes?: readonly VideoMode[];
  /** audioinput/audiooutput: the native modes. */
  readonly audioModes?: readonly AudioMode[];
  /** audioinput: which values of each processing switch the device can run with. Default [false]. */
  readonly echoCancellation?: readonly boolean[];
  readonly autoGainControl?: readonly boolean[];
  readonly noiseSuppression?: readonly boolean[];
  /** Whether this is the system's default device of its kind (listed first). */
  readonly isDefault?: boolean;
}

export function mediaKindOf(kind: DeviceKind): MediaKind {
  return kind === 'videoinput' ? 'video' : 'audio';
}
