import type { ProvidedDevice } from '../backends/device-manager.js';
import { INTERNAL } from '../platform/interface.js';
import { queueTask } from '../platform/tasks.js';
import { capabilitiesOf } from './constraints/index.js';
import { DeviceChangeEvent } from '../interfaces/DeviceChangeEvent.js';
import { InputDeviceInfo, MediaDeviceInfo } from '../interfaces/MediaDeviceInfo.js';
import type { MediaDevicesState } from './media-devices-state.js';

/**
 * "creating a device info object to represent a discovered device" (mediacapture-main §9.2.3).
 */
export function createDeviceInfo(state: MediaDevicesState, device: ProvidedDevice, asDefaultOutput = false): MediaDeviceInfo {
  const { kind } = device.descriptor;
  // 3.–4. Filtered: kind only, empty strings for the rest.
  const exposed =
    kind === 'videoinput' ? state.cameraInfoCanBeExposed() : kind === 'audioinput' ? state.microphoneInfoCanBeExposed() : true;
  if (!exposed) {
    return new InputDeviceInfo(INTERNAL, { deviceId: '', kind, label: '', groupId: '', capabilities: () => ({}) });
  }
  // 5.–7.
  const deviceId = asDefaultOutput ? 'default' : state.deviceIdOf(device);
  const groupId = state.groupIdOf(device);
  const label = asDefaultOutput ? `Default - ${device.descriptor.label}` : device.descriptor.label;
  if (kind === 'audiooutput') return new MediaDeviceInfo(INTERNAL, { deviceId, kind, label, groupId });
  const ids = { deviceId, groupId };
  return new InputDeviceInfo(INTERNAL, {
    deviceId,
    kind,
    label,
    groupId,
    capabilities: () => capabilitiesOf(device.descriptor, ids),
  });
}

/** "creating a list of device info objects" (mediacapture-main §9.2.2). */
export function createDeviceInfoList(state: MediaDevicesState, deviceList: readonly ProvidedDevice[]): MediaDeviceInfo[] {
  // 1.–2.
  const microphoneList: MediaDeviceInfo[] = [];
  const cameraList: MediaDeviceInfo[] = [];
  const otherDeviceList: MediaDeviceInfo[] = [];
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
function exposureDecisionForOtherDevices(state: MediaDevicesState, microphoneList: readonly MediaDeviceInfo[]): boolean {
  return microphoneList.length > 0 && state.microphoneInfoCanBeExposed();
}

function sameInfo(a: MediaDeviceInfo, b: MediaDeviceInfo): boolean {
  return a.deviceId === b.deviceId && a.kind === b.kind && a.label === b.label && a.groupId === b.groupId;
}

/**
 * The "device change notification steps" (§9.2). Compares what script would see before and after,
 * stores the new list, and queues a `devicechange` event only when the exposed list changed.
 */
export function deviceChangeNotificationSteps(state: MediaDevicesState, target: EventTarget, deviceList: ProvidedDevice[]): void {
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
    target.dispatchEvent(new DeviceChangeEvent('devicechange', { devices: newExposedDevices, userInsertedDevices }));
  });
}
