/**
 * Tracks of a device: the {@link TrackSource} of a camera or microphone that getUserMedia opened
 * (and of such a track received from another thread), and "create a MediaStreamTrack" for them.
 */
import type { ProvidedDevice } from '../backends/device-manager.js';
import type { AudioMode, DeviceDescriptor, VideoMode } from '../media/modes.js';
import type { Source } from '../media/source.js';
import type { MediaPermissionName } from '../scope/permissions.js';
import { capabilitiesOf, selectSettings, type DeviceIds, type MediaTrackCapabilities, type MediaTrackConstraints, type MediaTrackSettings } from './constraints/index.js';
import { permissionForKind, type MediaDevicesState } from './media-devices-state.js';
import type { TrackSettingsSelection, TrackSource } from './track/source.js';
import type { Track } from './track/track.js';

/** What a {@link DeviceTrackSource} is made of. */
export interface DeviceTrackSourceInit {
  /** The opened device. */
  readonly media: Source;
  /** The device as its backend describes it, with its native modes. */
  readonly device: DeviceDescriptor;
  /** Its per-origin deviceId and groupId. */
  readonly ids: DeviceIds;
  readonly label: string;
  readonly permission: MediaPermissionName | null;
  /** getCapabilities(); default: the device's, from its native modes. */
  readonly capabilities?: MediaTrackCapabilities;
  /**
   * The device runs in another thread and its mode cannot change from here: settings are chosen
   * among those made from the mode it runs in.
   */
  readonly runningModeOnly?: boolean;
  /** The source-specific construction steps (see {@link TrackSource.trackCreated}). */
  readonly trackCreated?: (track: Track) => void;
  /** See {@link TrackSource.trackEnded}. */
  readonly trackEnded?: (track: Track) => void;
}

/** The source of a device's tracks: SelectSettings over the device's native modes. */
export class DeviceTrackSource implements TrackSource {
  readonly media: Source;
  /** Tracks of getUserMedia have [[Stats]] (a received one too: it is still sourced from getUserMedia). */
  readonly frameStats = true;
  readonly label: string;
  readonly permission: MediaPermissionName | null;
  readonly #device: DeviceDescriptor;
  readonly #ids: DeviceIds;
  readonly #capabilities: MediaTrackCapabilities | undefined;
  readonly #runningModeOnly: boolean;
  readonly #trackCreated: ((track: Track) => void) | undefined;
  readonly #trackEnded: ((track: Track) => void) | undefined;

  constructor(init: DeviceTrackSourceInit) {
    this.media = init.media;
    this.label = init.label;
    this.permission = init.permission;
    this.#device = init.device;
    this.#ids = init.ids;
    this.#capabilities = init.capabilities;
    this.#runningModeOnly = init.runningModeOnly ?? false;
    this.#trackCreated = init.trackCreated;
    this.#trackEnded = init.trackEnded;
  }

  capabilities(): MediaTrackCapabilities {
    return this.#capabilities ? structuredClone(this.#capabilities) : capabilitiesOf(this.#device, this.#ids);
  }

  selectSettings(constraints: MediaTrackConstraints, restrictToMode?: VideoMode | AudioMode): TrackSettingsSelection {
    const mode = this.#runningModeOnly ? this.media.mode : restrictToMode;
    return selectSettings(this.#device, this.#ids, constraints, mode ? { restrictToMode: mode } : {});
  }

  trackCreated(track: Track): void {
    this.#trackCreated?.(track);
  }

  trackEnded(track: Track): void {
    this.#trackEnded?.(track);
  }
}

/**
 * "create a MediaStreamTrack" for a device that getUserMedia opened
 * (https://w3c.github.io/mediacapture-main/#dfn-create-a-mediastreamtrack): its tracks are bound to
 * the device's capabilities and SelectSettings, and counted in the MediaDevices' [[liveTracks]]
 * (exposure, permission revocation, stop all sources) while live.
 */
export function createDeviceTrack(
  state: MediaDevicesState,
  device: ProvidedDevice,
  media: Source,
  settings: MediaTrackSettings,
  constraints: MediaTrackConstraints,
): Track {
  const ids = { deviceId: state.deviceIdOf(device), groupId: state.groupIdOf(device) };
  const kind = device.descriptor.kind;
  const source = new DeviceTrackSource({
    media,
    device: device.descriptor,
    ids,
    label: device.descriptor.label,
    permission: permissionForKind(kind),
    trackCreated: (track) => void state.liveTracks.set(track, { kind, deviceId: ids.deviceId }),
    trackEnded: (track) => void state.liveTracks.delete(track),
  });
  return state.interfaces.createMediaStreamTrack({ source, settings, constraints });
}
