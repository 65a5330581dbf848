import type { DeviceManager, ProvidedDevice } from '../backends/device-manager.js';
import type { DeviceKind } from '../media/modes.js';
import type { Source } from '../media/source.js';
import type { DeviceIds } from '../scope/device-ids.js';
import type { MediaPermissionName, PermissionStore } from '../scope/permissions.js';
import type { InterfaceObjects } from './interface-objects.js';
import { endTrack, stopTrack, type Track } from './track/track.js';

/**
 * What a live track captures: a device kind, or "display" for getDisplayMedia's surfaces (which
 * must not count as a live camera when deciding what enumerateDevices exposes, §9.2.4).
 */
export type LiveTrackKind = DeviceKind | 'display';

/** The permission that covers a device kind (§13). */
export function permissionForKind(kind: LiveTrackKind): MediaPermissionName | null {
  if (kind === 'videoinput') return 'camera';
  if (kind === 'audioinput') return 'microphone';
  return null;
}

/** What [[liveTracks]] records of a live capture track. */
export interface LiveTrack {
  readonly kind: LiveTrackKind;
  readonly deviceId: string;
}

/**
 * The internal slots of one MediaDevices object (mediacapture-main §9.2) plus what it needs from
 * its global: origin, permission store, id generator and the shared device manager. One per
 * global scope (globalThis, or a jsdom/happy-dom window).
 */
export class MediaDevicesState {
  readonly origin: string;
  readonly permissions: PermissionStore;
  readonly ids: DeviceIds;
  readonly manager: DeviceManager;
  /** The MediaStream and MediaStreamTrack objects this MediaDevices' algorithms create. */
  readonly interfaces: InterfaceObjects;

  // §9.2 "create a MediaDevices object", step 1.
  readonly devicesLiveMap = new Map<string, boolean>();
  readonly devicesAccessibleMap = new Map<string, boolean>();
  readonly kindsAccessibleMap = new Map<MediaPermissionName, boolean>();
  storedDeviceList: ProvidedDevice[] = [];
  canExposeCameraInfo = false;
  canExposeMicrophoneInfo = false;
  readonly mediaStreamTrackSources = new Set<Source>();

  /** The live capture tracks of this scope (clones included): "attached to a live MediaStreamTrack in the document". */
  readonly liveTracks = new Map<Track, LiveTrack>();

  /** False once the scope is torn down ("document is not fully active"). */
  fullyActive = true;

  constructor(init: { origin: string; permissions: PermissionStore; ids: DeviceIds; manager: DeviceManager; interfaces: InterfaceObjects }) {
    this.origin = init.origin;
    this.permissions = init.permissions;
    this.ids = init.ids;
    this.manager = init.manager;
    this.interfaces = init.interfaces;
    // 3. kindsAccessibleMap from the permission states.
    for (const name of ['camera', 'microphone'] as const) {
      this.kindsAccessibleMap.set(name, this.permissions.state(name) === 'granted');
    }
  }

  deviceIdOf(device: ProvidedDevice): string {
    return this.ids.deviceId(device.key);
  }

  groupIdOf(device: ProvidedDevice): string {
    // Keys that name hardware (a USB device, a sysfs node) are shared across backends, so that a
    // webcam's V4L2 camera and its PulseAudio microphone get one groupId; others are per backend.
    const key = device.descriptor.groupKey;
    return this.ids.groupId(/^(usb|sysfs):/.test(key) ? key : `${device.provider.name}:${key}`);
  }

  #hasLiveTrackOfKind(kind: DeviceKind): boolean {
    for (const t of this.liveTracks.values()) if (t.kind === kind) return true;
    return false;
  }

  /** "camera information can be exposed" (§9.2.4). */
  cameraInfoCanBeExposed(): boolean {
    // 1.–2.
    return this.#hasLiveTrackOfKind('videoinput') || this.canExposeCameraInfo;
  }

  /** "microphone information can be exposed" (§9.2.4). */
  microphoneInfoCanBeExposed(): boolean {
    return this.#hasLiveTrackOfKind('audioinput') || this.canExposeMicrophoneInfo;
  }

  /** "device information can be exposed" (§9.2.4). */
  deviceInfoCanBeExposed(): boolean {
    return this.cameraInfoCanBeExposed() || this.microphoneInfoCanBeExposed();
  }

  /** "device exposure can be extended" (§9.2.4). */
  deviceExposureCanBeExtended(name: MediaPermissionName): boolean {
    return this.permissions.state(name) === 'granted';
  }

  /** "set the device information exposure" (§9.2.5). */
  setDeviceInformationExposure(requestedTypes: ReadonlySet<'audio' | 'video'>, value: boolean): void {
    // 1.
    if (requestedTypes.has('video')) {
      this.canExposeCameraInfo = value;
      if (value && this.deviceExposureCanBeExtended('microphone')) this.canExposeMicrophoneInfo = true;
    }
    // 2.
    if (requestedTypes.has('audio')) {
      this.canExposeMicrophoneInfo = value;
      if (value && this.deviceExposureCanBeExtended('camera')) this.canExposeCameraInfo = true;
    }
  }

  /** "tie track source to MediaDevices" (§4.3). The source's release runs the "source is stopped" steps. */
  tieSource(source: Source, deviceId: string, kind: LiveTrackKind): void {
    if (this.mediaStreamTrackSources.has(source)) return;
    this.mediaStreamTrackSources.add(source);
    source.whenReleased((s) => {
      this.mediaStreamTrackSources.delete(s);
      // "when the source is stopped", steps 1.–4.
      this.devicesLiveMap.set(deviceId, false);
      const name = permissionForKind(kind);
      if (name && this.permissions.state(name) !== 'granted') this.devicesAccessibleMap.set(deviceId, false);
    });
  }
}

/**
 * The device permission revocation algorithm (https://w3c.github.io/mediacapture-main/#dfn-device-permission-revocation-algorithm),
 * run when `permissionName` stops being "granted".
 */
export function devicePermissionRevocationAlgorithm(state: MediaDevicesState, permissionName: MediaPermissionName): void {
  // 1. Let tracks be the set of all currently "live" MediaStreamTracks whose permission
  //    associated with this kind of track matches permissionName.
  const tracks = [...state.liveTracks.keys()].filter((t) => t.readyState === 'live' && t.source.permission === permissionName);
  // 2. For each track in tracks, end the track.
  for (const track of tracks) endTrack(track);
}

/**
 * "stop all sources of a global object" (https://w3c.github.io/mediacapture-main/#dfn-stop-all-sources),
 * when the global's installation is undone: every capture track ends (without an event), and the
 * last track of each source stops it.
 */
export function stopAllSources(state: MediaDevicesState): void {
  for (const track of [...state.liveTracks.keys()]) stopTrack(track);
}
