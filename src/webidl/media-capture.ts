/**
 * The event init dictionaries of Media Capture and Streams:
 * `MediaStreamTrackEventInit` (https://w3c.github.io/mediacapture-main/#dom-mediastreamtrackeventinit §4.4)
 * and `DeviceChangeEventInit` (https://w3c.github.io/mediacapture-main/#dom-devicechangeeventinit §9.5).
 * The constraint dictionaries are in constraints.ts.
 */
import { sequence } from './converters.js';
import { dictionary } from './dictionary.js';
import { EventInit, type ConvertedEventInit } from './events.js';
import { interfaceType, type InterfaceType } from './interface-types.js';

/** `MediaStreamTrackEventInit` as script passes it. */
export interface MediaStreamTrackEventInit extends EventInit {
  track: InterfaceType<'MediaStreamTrack'>;
}

/** A converted `MediaStreamTrackEventInit`. */
export interface ConvertedMediaStreamTrackEventInit extends ConvertedEventInit {
  track: InterfaceType<'MediaStreamTrack'>;
}

/** `dictionary MediaStreamTrackEventInit : EventInit { required MediaStreamTrack track; }` */
export const MediaStreamTrackEventInit = dictionary<ConvertedMediaStreamTrackEventInit, ConvertedEventInit>('MediaStreamTrackEventInit', EventInit, {
  track: { type: interfaceType('MediaStreamTrack'), required: true },
});

/** `DeviceChangeEventInit` as script passes it. */
export interface DeviceChangeEventInit extends EventInit {
  devices?: InterfaceType<'MediaDeviceInfo'>[];
  userInsertedDevices?: InterfaceType<'MediaDeviceInfo'>[];
}

/** A converted `DeviceChangeEventInit`. */
export interface ConvertedDeviceChangeEventInit extends ConvertedEventInit {
  devices: InterfaceType<'MediaDeviceInfo'>[];
  userInsertedDevices: InterfaceType<'MediaDeviceInfo'>[];
}

/**
 * `dictionary DeviceChangeEventInit : EventInit { sequence<MediaDeviceInfo> devices = [];
 * sequence<MediaDeviceInfo> userInsertedDevices = []; }`
 */
export const DeviceChangeEventInit = dictionary<ConvertedDeviceChangeEventInit, ConvertedEventInit>('DeviceChangeEventInit', EventInit, {
  devices: { type: sequence(interfaceType('MediaDeviceInfo')), default: [] },
  userInsertedDevices: { type: sequence(interfaceType('MediaDeviceInfo')), default: [] },
});
