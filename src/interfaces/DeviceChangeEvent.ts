import { PlatformEvent } from '../realm/current.js';
import { illegalInvocation } from '../platform/errors.js';
import { exposeInterface } from '../platform/interface.js';
import { converters } from '../webidl/index.js';
import type { DeviceChangeEventInit } from '../webidl/media-capture.js';
import type { MediaDeviceInfo } from './MediaDeviceInfo.js';

export type { DeviceChangeEventInit };

/** DeviceChangeEvent (mediacapture-main §9.5): `devicechange` with the devices now exposed. */
export class DeviceChangeEvent extends PlatformEvent {
  #devices: readonly MediaDeviceInfo[];
  #userInsertedDevices: readonly MediaDeviceInfo[];

  constructor(type: string, eventInitDict: DeviceChangeEventInit = {}) {
    const context = "Failed to construct 'DeviceChangeEvent'";
    if (arguments.length < 1) throw new TypeError(`${context}: 1 argument required, but only 0 present.`);
    const t = converters.DOMString(type, `${context}: type`);
    const { devices, userInsertedDevices, ...eventInit } = converters.DeviceChangeEventInit(eventInitDict, `${context}: eventInitDict`);
    super(t, eventInit);
    // "creating a frozen array" ([SameObject]).
    this.#devices = Object.freeze(devices);
    this.#userInsertedDevices = Object.freeze(userInsertedDevices.filter((d) => devices.includes(d)));
  }

  get devices(): readonly MediaDeviceInfo[] {
    if (!(#devices in this)) throw illegalInvocation('DeviceChangeEvent', 'devices');
    return this.#devices;
  }

  get userInsertedDevices(): readonly MediaDeviceInfo[] {
    if (!(#userInsertedDevices in this)) throw illegalInvocation('DeviceChangeEvent', 'userInsertedDevices');
    return this.#userInsertedDevices;
  }
}
exposeInterface(DeviceChangeEvent);
