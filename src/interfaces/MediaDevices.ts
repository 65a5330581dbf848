import { fireEvent } from '../realm/events.js';
import { PlatformEventTarget } from '../realm/current.js';
import { getSupportedConstraints } from '../algorithms/constraints/index.js';
import type { DeviceInfo } from '../algorithms/enumerate-devices.js';
import { getDisplayMedia } from '../algorithms/get-display-media.js';
import { getUserMedia } from '../algorithms/get-user-media.js';
import { DeviceEnumerator } from '../algorithms/media-devices.js';
import type { MediaDevicesState } from '../algorithms/media-devices-state.js';
import { illegalConstructor, illegalInvocation } from '../platform/errors.js';
import { defineEventHandler } from '../platform/event-handler.js';
import { INTERNAL, exposeInterface, idlLength } from '../platform/interface.js';
import type { MediaStreamConstraints, MediaTrackSupportedConstraints } from '../webidl/constraints.js';
import { converters, promiseOperation } from '../webidl/index.js';
import type { DisplayMediaStreamOptions } from '../webidl/screen-capture.js';
import { captureControllerSlots } from './CaptureController.js';
import { DeviceChangeEvent } from './DeviceChangeEvent.js';
import { deviceInfoObject, type MediaDeviceInfo } from './MediaDeviceInfo.js';
import { mediaStreamOf, type MediaStream } from './MediaStream.js';

export type { DisplayMediaStreamOptions, MediaStreamConstraints };

/** Package-internal access for installGlobals and the screen-capture extension. */
export let mediaDevicesInternals: {
  is(value: unknown): value is MediaDevices;
  state(md: MediaDevices): MediaDevicesState;
  refresh(md: MediaDevices): Promise<void>;
  restart(md: MediaDevices): Promise<void>;
  close(md: MediaDevices): void;
};

/**
 * MediaDevices (mediacapture-main §9.2, §10.1): the entry point, `navigator.mediaDevices`.
 * One per global scope; its internal slots live in a MediaDevicesState, its algorithms in a
 * DeviceEnumerator and the getUserMedia / getDisplayMedia modules.
 */
export class MediaDevices extends PlatformEventTarget {
  /** The `devicechange` event handler (an enumerable accessor on the prototype). */
  declare ondevicechange: ((ev: Event) => unknown) | null;

  #devices: DeviceEnumerator;

  constructor(token?: typeof INTERNAL, state?: MediaDevicesState) {
    if (token !== INTERNAL || !state) throw illegalConstructor('MediaDevices');
    super();
    this.#devices = new DeviceEnumerator(state, (devices, userInsertedDevices) => this.#fireDeviceChange(devices, userInsertedDevices));
  }

  /** enumerateDevices() (§9.2.2). */
  enumerateDevices(): Promise<MediaDeviceInfo[]> {
    return promiseOperation(() => {
      if (!(#devices in this)) throw illegalInvocation('MediaDevices', 'enumerateDevices');
      return this.#devices.enumerateDevices().then((list) => list.map(deviceInfoObject));
    });
  }

  /** getSupportedConstraints() (§10.1.1). */
  getSupportedConstraints(): MediaTrackSupportedConstraints {
    if (!(#devices in this)) throw illegalInvocation('MediaDevices', 'getSupportedConstraints');
    return getSupportedConstraints();
  }

  /** getUserMedia() (§10.1.1). */
  getUserMedia(constraints: MediaStreamConstraints = {}): Promise<MediaStream> {
    return promiseOperation(() => {
      if (!(#devices in this)) throw illegalInvocation('MediaDevices', 'getUserMedia');
      const converted = converters.MediaStreamConstraints(constraints, "Failed to execute 'getUserMedia' on 'MediaDevices': constraints");
      return getUserMedia(this.#devices.state, converted).then(mediaStreamOf);
    });
  }

  /** getDisplayMedia() (Screen Capture §5.1). */
  getDisplayMedia(options: DisplayMediaStreamOptions = {}): Promise<MediaStream> {
    return promiseOperation(() => {
      if (!(#devices in this)) throw illegalInvocation('MediaDevices', 'getDisplayMedia');
      const converted = converters.DisplayMediaStreamOptions(options, "Failed to execute 'getDisplayMedia' on 'MediaDevices': options");
      const controller = converted.controller === undefined ? null : captureControllerSlots(converted.controller)!;
      return getDisplayMedia(this.#devices.state, converted, controller).then(mediaStreamOf);
    });
  }

  /** Fires `devicechange` (the device change notification steps' task): the device info objects script sees, in an event. */
  #fireDeviceChange(devices: readonly DeviceInfo[], userInsertedDevices: readonly DeviceInfo[]): void {
    fireEvent(this, 'devicechange', () => {
      const objects = devices.map(deviceInfoObject);
      const inserted = objects.filter((_, i) => userInsertedDevices.includes(devices[i]!));
      return new DeviceChangeEvent('devicechange', { devices: objects, userInsertedDevices: inserted });
    });
  }

  static {
    mediaDevicesInternals = {
      is: (v): v is MediaDevices => typeof v === 'object' && v !== null && #devices in v,
      state: (md) => md.#devices.state,
      refresh: (md) => md.#devices.refresh(),
      restart: (md) => md.#devices.restart(),
      close: (md) => md.#devices.close(),
    };
  }
}

defineEventHandler(MediaDevices.prototype, 'devicechange', 'MediaDevices', (v) => mediaDevicesInternals.is(v));
exposeInterface(MediaDevices);
// No constructor in the IDL (the one here takes an internal token): length 0.
idlLength(MediaDevices, 0);
