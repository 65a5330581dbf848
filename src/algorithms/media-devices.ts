/**
 * What a MediaDevices object does over its lifetime (mediacapture-main
 * https://w3c.github.io/mediacapture-main/#mediadevices §9.2): "create a MediaDevices object" (the
 * device list it starts from and the watching it sets up), enumerateDevices(), and the device
 * change notification steps on hot-plug, one run at a time so that `devicechange` events keep
 * their order. Its internal slots are the {@link MediaDevicesState}.
 */
import { createDeviceInfoList, deviceChangeNotificationSteps, type DeviceInfo, type FireDeviceChange } from './enumerate-devices.js';
import { devicePermissionRevocationAlgorithm, type MediaDevicesState } from './media-devices-state.js';

/** The algorithms of one MediaDevices object. */
export class DeviceEnumerator {
  readonly state: MediaDevicesState;
  readonly #fire: FireDeviceChange;
  readonly #unsubscribe: () => void;
  /** Serialises device-list refreshes so devicechange events keep their order. */
  #refreshing: Promise<void>;

  /** "Create a MediaDevices object": `fire` fires `devicechange` at it. */
  constructor(state: MediaDevicesState, fire: FireDeviceChange) {
    this.state = state;
    this.#fire = fire;
    // 1. [[storedDeviceList]] starts as the devices present now.
    this.#refreshing = state.manager.list().then(
      (list) => void (state.storedDeviceList = list),
      () => undefined,
    );
    // Hot-plug: run the device change notification steps when the machine's devices change.
    this.#unsubscribe = state.manager.onChange(() => void this.refresh());
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
  refresh(): Promise<void> {
    const run = this.#refreshing.then(async () => {
      if (!this.state.fullyActive) return;
      const deviceList = await this.state.manager.list();
      deviceChangeNotificationSteps(this.state, this.#fire, deviceList);
    });
    this.#refreshing = run.catch(() => undefined);
    return run;
  }

  /**
   * Back to the slots of a newly created MediaDevices (§9.2, "create a MediaDevices object"), for
   * a test's fresh start: no device information exposed, the maps of step 1 empty, and
   * [[storedDeviceList]] the devices present now, read without firing `devicechange` (a new page
   * learns of no change). Call once the global's tracks are stopped.
   */
  restart(): Promise<void> {
    const state = this.state;
    state.canExposeCameraInfo = false;
    state.canExposeMicrophoneInfo = false;
    state.devicesLiveMap.clear();
    state.devicesAccessibleMap.clear();
    for (const name of ['camera', 'microphone'] as const) state.kindsAccessibleMap.set(name, state.permissions.state(name) === 'granted');
    const run = this.#refreshing.then(async () => {
      state.storedDeviceList = await state.manager.list();
    });
    this.#refreshing = run.catch(() => undefined);
    return run;
  }

  /** enumerateDevices() (§9.2.2), steps 2–4: the device info list. */
  enumerateDevices(): Promise<DeviceInfo[]> {
    // 2.–4. Device enumeration can always proceed (a Node global is "in view"). The stored list is
    // refreshed first, so a change the backend did not announce still fires devicechange.
    return this.refresh().then(() => createDeviceInfoList(this.state, this.state.storedDeviceList));
  }

  /** The global is torn down: the document is no longer fully active, and hot-plug is no longer watched. */
  close(): void {
    this.state.fullyActive = false;
    this.#unsubscribe();
  }
}
