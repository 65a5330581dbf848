import type { ProvidedDevice } from '../backends/device-manager.js';
import type { Source } from '../media/source.js';
import { INTERNAL } from '../platform/interface.js';
import { MediaStreamTrack, trackInternals } from '../interfaces/MediaStreamTrack.js';
import type { SettingsDictionary, TrackBinding } from '../interfaces/track-binding.js';
import { capabilitiesOf, selectSettings } from './constraints/index.js';
import { permissionForKind, type MediaDevicesState } from './media-devices-state.js';

/**
 * "create a MediaStreamTrack" for a device that getUserMedia opened (§4.3): binds the track to
 * the device's capabilities and to SelectSettings for later applyConstraints, and keeps the
 * MediaDevices' live-track bookkeeping (exposure, revocation) up to date.
 */
export function createDeviceTrack(
  state: MediaDevicesState,
  device: ProvidedDevice,
  source: Source,
  settings: SettingsDictionary,
  constraints: unknown,
): MediaStreamTrack {
  const ids = { deviceId: state.deviceIdOf(device), groupId: state.groupIdOf(device) };
  const kind = device.descriptor.kind;
  const permission = permissionForKind(kind);
  const binding: TrackBinding = {
    source,
    label: device.descriptor.label,
    permission,
    capabilities: () => capabilitiesOf(device.descriptor, ids) as SettingsDictionary,
    select: (c, restrictToMode) => {
      const result = selectSettings(device.descriptor, ids, c as never, restrictToMode ? { restrictToMode } : {});
      return 'failed' in result ? { failed: result.failed } : { settings: result.settings as SettingsDictionary, mode: result.mode };
    },
    trackCreated: (track) => {
      state.liveTracks.set(track, {
        kind,
        deviceId: ids.deviceId,
        permission,
        end: () => trackInternals.endTrack(track as MediaStreamTrack),
        stop: () => (track as MediaStreamTrack).stop(),
      });
    },
    trackEnded: (track) => {
      state.liveTracks.delete(track);
    },
  };
  return new MediaStreamTrack(INTERNAL, { binding, settings, constraints });
}
