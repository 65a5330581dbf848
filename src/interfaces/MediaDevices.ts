import { illegalConstructor, illegalInvocation } from '../platform/errors.js';
import { defineEventHandler } from '../platform/event-handler.js';
import { INTERNAL, exposeInterface } from '../platform/interface.js';
import { getSupportedConstraints } from '../algorithms/constraints/index.js';
import { createDeviceInfoList, deviceChangeNotificationSteps } from '../algorithms/enumerate-devices.js';
import { getUserMedia } from '../algorithms/get-user-media.js';
import { getDisplayMedia } from '../algorithms/get-display-media.js';
import { devicePermissionRevocationAlgorithm, type MediaDevicesState } from '../algorithms/media-devices-state.js';
import type { MediaDeviceInfo } from './MediaDeviceInfo.js';
import { mediaStreamOf, type MediaStream } from './MediaStream.js';
import type { MediaTrackConstraints, MediaTrackSupportedConstraints } from '../algorithms/constraints/dictionaries.js';

/** The MediaStreamConstraints dictionary as script passes it (both members optional, default false). */
export interface MediaStreamConstraints {
  video?: boolean | MediaTrackConstraints;
  audio?: boolean | MediaTrackConstraints;
}

/** Package-internal access for installGlobals and the screen-capture extension. */
export let mediaDevicesInternals: {
  is(value: unknown): value is MediaDevices;
  state(md: MediaDevices): MediaDevicesState;
  refresh(md: MediaDevices): Promise<void>;
  close(md: MediaDevices): void;
};

/**
 * MediaDevices (mediacapture-main §9.2, §10.1): the entry point, `navigator.mediaDevices`.
 * One per global scope; its internal slots live in a MediaDevicesState.
 */
export class MediaDevices extends EventTarget {
  /** The `devicechange` event handler (an enumerable accessor on the prototype). */
  declare ondevicechange: ((ev: Event) => any) | null;

  #state: MediaDevicesState;
  #unsubscribe: () => void;
  /** Serialises device-list refreshes so devicechange events keep their order. */
  #refreshing: Promise<void> = Promise.resolve();

  constructor(token?: typeof INTERNAL, state?: MediaDevicesState) {
    if (token !== INTERNAL || !state) throw illegalConstructor('MediaDevices');
    super();
    this.#state = state;
    // "create a MediaDevices object" 1.: [[storedDeviceList]] starts as the devices present now.
    this.#refreshing = state.manager.list().then(
      (list) => void (state.storedDeviceList = list),
      () => undefined,
    );
    // Hot-plug: run the device change notification steps when the machine's devices change.
    this.#unsubscribe = state.manager.onChange(() => void this.#refresh());
    state.permissions.onChange((name, from, to) => {
      // §9.2: kindsAccessibleMap follows the permission state.
      if (name === 'camera' || name === 'microphone') {
        if (to === 'granted') state.kindsAccessibleMap.set(name, true);
        else if (from === 'granted') state.kindsAccessibleMap.set(name, false);
      }
      // §13 "permission revocation algorithm": end every live track covered by the permission.
      if (from === 'granted' && to !== 'granted') devicePermissionRevocationAlgorithm(state, name);
    });
  }

  /** Re-reads the machine's device list and runs the device change notification steps. */
  #refresh(): Promise<void> {
    const run = this.#refreshing.then(async () => {
      if (!this.#state.fullyActive) return;
      const deviceList = await this.#state.manager.list();
      deviceChangeNotificationSteps(this.#state, this, deviceList);
    });
    this.#refreshing = run.catch(() => undefined);
    return run;
  }

  /** enumerateDevices() (§9.2.2). */
  enumerateDevices(): Promise<MediaDeviceInfo[]> {
    if (!(#state in this)) return Promise.reject(illegalInvocation('MediaDevices', 'enumerateDevices'));
    // 2.–4. Device enumeration can always proceed (a Node global is "in view"). The stored list is
    // refreshed first, so a change the backend did not announce still fires devicechange.
    return this.#refresh().then(() => createDeviceInfoList(this.#state, this.#state.storedDeviceList));
  }

  /** getSupportedConstraints() (§10.1.1). */
  getSupportedConstraints(): MediaTrackSupportedConstraints {
    if (!(#state in this)) throw illegalInvocation('MediaDevices', 'getSupportedConstraints');
    return getSupportedConstraints();
  }

  /** getUserMedia() (§10.1.1). */
  getUserMedia(constraints: MediaStreamConstraints = {}): Promise<MediaStream> {
    if (!(#state in this)) return Promise.reject(illegalInvocation('MediaDevices', 'getUserMedia'));
    return getUserMedia(this.#state, constraints).then(mediaStreamOf);
  }

  /** getDisplayMedia() (Screen Capture §5.1). */
  getDisplayMedia(options: unknown = {}): Promise<MediaStream> {
    if (!(#state in this)) return Promise.reject(illegalInvocation('MediaDevices', 'getDisplayMedia'));
    return getDisplayMedia(this.#state, options).then(mediaStreamOf);
  }

  static {
    mediaDevicesInternals = {
      is: (v): v is MediaDevices => typeof v === 'object' && v !== null && #state in v,
      state: (md) => md.#state,
      refresh: (md) => md.#refresh(),
      close(md) {
        md.#state.fullyActive = false;
        md.#unsubscribe();
      },
    };
  }
}


defineEventHandler(MediaDevices.prototype, 'devicechange', 'MediaDevices', (v) => mediaDevicesInternals.is(v));
exposeInterface(MediaDevices);
