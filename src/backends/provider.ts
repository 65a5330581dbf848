import type { DeviceDescriptor, AudioMode, VideoMode } from '../media/modes.js';
import type { Source } from '../media/source.js';

/**
 * What SelectSettings chose for a device: the native mode to open, and the processing switches.
 * The track then crops, scales, decimates or resamples from the native mode to its own settings.
 */
export interface OpenRequest {
  readonly mode: VideoMode | AudioMode;
  readonly echoCancellation?: boolean;
  readonly autoGainControl?: boolean;
  readonly noiseSuppression?: boolean;
}

/**
 * The contract every device backend's provider implements: builtin (synthetic), file, PulseAudio,
 * ALSA, V4L2, X11, and an application's own. A provider lists its devices, tells when that list
 * changes, and opens a Source in a native mode. Backends make their providers through the
 * registry (registry.ts: `create`); real devices' providers are process-wide (hub.ts).
 */
export interface DeviceProvider {
  /** Short name used in configuration and the MEDIACAPTURE_BACKENDS variable, e.g. "builtin", "pulse". */
  readonly name: string;
  /** The devices present now (always listed afresh). */
  enumerate(): Promise<readonly DeviceDescriptor[]>;
  /**
   * The devices as the provider's watcher knows them: the same list as enumerate(), but kept
   * between calls while a connected watcher would have seen a change (PulseAudio's `pactl
   * subscribe`, inotify on /dev), so the device manager's getUserMedia and enumerateDevices do not
   * list per call. Optional: without it the manager calls enumerate().
   */
  knownDevices?(): Promise<readonly DeviceDescriptor[]>;
  /** Calls `listener` whenever the set of devices may have changed. Returns a function that unsubscribes. */
  watch(listener: () => void): () => void;
  /**
   * Opens the device in the requested mode. Rejects with a NotReadableError DOMException when the
   * device exists but cannot be opened (busy, failed, process would not start).
   */
  open(device: DeviceDescriptor, request: OpenRequest): Promise<Source>;
  /** Stops watching and releases anything the provider holds. */
  close?(): void;
}

/** The provider's devices as its watcher knows them ({@link DeviceProvider.knownDevices}), else listed now. */
export function knownDevices(provider: DeviceProvider): Promise<readonly DeviceDescriptor[]> {
  return provider.knownDevices ? provider.knownDevices() : provider.enumerate();
}
