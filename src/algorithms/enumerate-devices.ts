/**
 * enumerateDevices() and the device change notification steps (mediacapture-main
 * https://w3c.github.io/mediacapture-main/#dom-mediadevices-enumeratedevices §9.2.2–§9.2.3).
 *
 * The algorithms work on {@link DeviceInfo} records, the contents of the device info objects;
 * MediaDevices makes the `MediaDeviceInfo` objects script sees from them.
 */
import type { ProvidedDevice } from '../backends/device-manager.js';
import type { DeviceKind } from '../media/modes.js';
import { queueTask } from '../platform/tasks.js';
import type { MediaTrackCapabilities } from '../webidl/constraints.js';
import { capabilitiesOf } from './constraints/index.js';
import type { MediaDevicesState } from './media-devices-state.js';

/**
 * What a device info object holds: a `MediaDeviceInfo`'s attributes, and for an input device
 * (an `InputDeviceInfo`) how to answer getCapabilities().
 */
export interface DeviceInfo {
  readonly deviceId: string;
  readonly kind: DeviceKind;
  readonly label: string;
  readonly groupId: string;
  /** Present for inputs (InputDeviceInfo); `{}` while device information is not exposed. */
  readonly capabilities?: () => MediaTrackCapabilities;
}

/**
 * "creating a device info object to represent a discovered device" (mediacapture-main §9.2.3).
 */
export function createDeviceInfo(state: MediaDevicesState, device: ProvidedDevice, asDefaultOutput = false): DeviceInfo {
  const { kind } = device.descriptor;
  // 3.–4. Filtered: kind only, empty strings for the rest.
  const exposed =
    kind === 'videoinput' ? state.cameraInfoCanBeExposed() : kind === 'audioinput' ? state.microphoneInfoCanBeExposed() : true;
  if (!exposed) {
    return { deviceId: '', kind, label: '', groupId: '', capabilities: () => ({}) };
  }
  // 5.–7.
  const deviceId = asDefaultOutput ? 'default' : state.deviceIdOf(device);
  const groupId = state.groupIdOf(device);
  const label = asDefaultOutput ? `Default - ${device.descriptor.label}` : device.descriptor.label;
  if (kind === 'audiooutput') return { deviceId, kind, label, groupId };
  const ids = { deviceId, groupId };
  return { deviceId, kind, label, groupId, capabilities: () => capabilitiesOf(device.descriptor, ids) };
}

/** "creating a list of device info objects" (mediacapture-main §9.2.2). */
export function createDeviceInfoList(state: MediaDevicesState, deviceList: readonly ProvidedDevice[]): DeviceInfo[] {
  // 1.–2.
  const microphoneList: DeviceInfo[] = [];
  const cameraList: DeviceInfo[] = [];
  const otherDeviceList: DeviceInfo[] = [];
  // 4. Microphones (every feature is allowed: there is no permissions policy outside a browser).
  for (const device of deviceList) {
    if (device.descriptor.kind !== 'audioinput') continue;
    const info = createDeviceInfo(state, device);
    if (device.descriptor.isDefault) microphoneList.unshift(info);
    else microphoneList.push(info);
  }
  // 5. Cameras.
  for (const device of deviceList) {
    if (device.descriptor.kind !== 'videoinput') continue;
    const info = createDeviceInfo(state, device);
    if (device.descriptor.isDefault) cameraList.unshift(info);
    else cameraList.push(info);
  }
  // 6.–7.
  if (!state.microphoneInfoCanBeExposed()) microphoneList.length = Math.min(microphoneList.length, 1);
  if (!state.cameraInfoCanBeExposed()) cameraList.length = Math.min(cameraList.length, 1);
  // 8. Other devices: audio outputs, by the exposure decision of mediacapture-output (exposed
  // when microphone information can be exposed and a microphone is listed).
  for (const device of deviceList) {
    if (device.descriptor.kind !== 'audiooutput') continue;
    if (!exposureDecisionForOtherDevices(state, microphoneList)) continue;
    otherDeviceList.push(createDeviceInfo(state, device));
    if (device.descriptor.isDefault) otherDeviceList.unshift(createDeviceInfo(state, device, true));
  }
  // 9.–12.
  return [...microphoneList, ...cameraList, ...otherDeviceList];
}

/** "exposure decision algorithm for devices other than camera and microphone" (§9.2.6), as audio output devices define it. */
function exposureDecisionForOtherDevices(state: MediaDevicesState, microphoneList: readonly DeviceInfo[]): boolean {
  return microphoneList.length > 0 && state.microphoneInfoCanBeExposed();
}

function sameInfo(a: DeviceInfo, b: DeviceInfo): boolean {
  return a.deviceId === b.deviceId && a.kind === b.kind && a.label === b.label && a.groupId === b.groupId;
}

/**
 * Fires `devicechange` at the MediaDevices with these devices (`userInsertedDevices` is a subset
 * of `devices`); the IDL object makes the event and its device info objects.
 */
export type FireDeviceChange = (devices: readonly DeviceInfo[], userInsertedDevices: readonly DeviceInfo[]) => void;

/**
 * The "device change notification steps" (§9.2). Compares what script would see before and after,
 * stores the new list, and queues a task to fire `devicechange` only when the exposed list changed.
 */
export function deviceChangeNotificationSteps(state: MediaDevicesState, fire: FireDeviceChange, deviceList: ProvidedDevice[]): void {
  // 1.
  const lastExposedDevices = createDeviceInfoList(state, state.storedDeviceList);
  // 2.–3.
  const newExposedDevices = createDeviceInfoList(state, deviceList);
  // 4.
  if (lastExposedDevices.length === newExposedDevices.length && lastExposedDevices.every((d, i) => sameInfo(d, newExposedDevices[i]!))) {
    state.storedDeviceList = deviceList;
    return;
  }
  // Devices that were not present before (plugged in), for userInsertedDevices.
  const before = new Set(state.storedDeviceList.map((d) => d.key));
  const inserted = new Set(deviceList.filter((d) => !before.has(d.key)).map((d) => state.deviceIdOf(d)));
  // 5.
  state.storedDeviceList = deviceList;
  // 6.
  queueTask(() => {
    const userInsertedDevices = newExposedDevices.filter((d) => d.deviceId !== '' && inserted.has(d.deviceId));
    fire(newExposedDevices, userInsertedDevices);
  });
}
