import { illegalInvocation } from '../platform/errors.js';
import type { EventInit } from '../platform/events.js';
import { exposeInterface } from '../platform/interface.js';
import { dictionaryObject, toBoolean, toDOMString, toSequence } from '../webidl/converters.js';
import { MediaDeviceInfo } from './MediaDeviceInfo.js';

export interface DeviceChangeEventInit extends EventInit {
  devices?: MediaDeviceInfo[];
  userInsertedDevices?: MediaDeviceInfo[];
}

function isDeviceInfo(v: unknown): v is MediaDeviceInfo {
  try {
    Reflect.get(MediaDeviceInfo.prototype, 'deviceId', v as object);
    return true;
  } catch {
    return false;
  }
}

/** DeviceChangeEvent (mediacapture-main §9.5): `devicechange` with the devices now exposed. */
export class DeviceChangeEvent extends Event {
  #devices: readonly MediaDeviceInfo[];
  #userInsertedDevices: readonly MediaDeviceInfo[];

  constructor(type: string, eventInitDict: DeviceChangeEventInit = {}) {
    if (arguments.length < 1) throw new TypeError("Failed to construct 'DeviceChangeEvent': 1 argument required, but only 0 present.");
    const t = toDOMString(type, "Failed to construct 'DeviceChangeEvent': argument 1");
    const init = dictionaryObject(eventInitDict, "Failed to construct 'DeviceChangeEvent': argument 2");
    const bubbles = toBoolean(init?.bubbles);
    const cancelable = toBoolean(init?.cancelable);
    const composed = toBoolean(init?.composed);
    const convert = (member: string) => {
      const value = init?.[member];
      if (value === undefined) return [];
      return toSequence(value, `DeviceChangeEventInit.${member}`, (item, ctx) => {
        if (!isDeviceInfo(item)) throw new TypeError(`${ctx} is not of type MediaDeviceInfo.`);
        return item;
      });
    };
    const devices = convert('devices');
    const userInsertedDevices = convert('userInsertedDevices');
    super(t, { bubbles, cancelable, composed });
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
