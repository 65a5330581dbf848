// Compiled (not run) with lib.dom by `npm test`: code typed against the DOM's Media Capture
// types must accept ours. A type that drifts from lib.dom's breaks this file.
import {
  MediaStream as OurStream,
  MediaStreamTrack as OurTrack,
  MediaDevices as OurDevices,
  MediaDeviceInfo as OurDeviceInfo,
  InputDeviceInfo as OurInputDeviceInfo,
  OverconstrainedError as OurOverconstrainedError,
  MediaStreamTrackEvent as OurTrackEvent,
} from 'mediacapture';

declare const stream: OurStream;
declare const track: OurTrack;
declare const devices: OurDevices;
declare const info: OurDeviceInfo;
declare const input: OurInputDeviceInfo;
declare const error: OurOverconstrainedError;
declare const event: OurTrackEvent;

export const domStream: MediaStream = stream;
export const domTrack: MediaStreamTrack = track;
export const domDevices: MediaDevices = devices;
export const domInfo: MediaDeviceInfo = info;
export const domInput: InputDeviceInfo = input;
export const domError: DOMException = error;
export const domEvent: MediaStreamTrackEvent = event;

// And the other way round where it matters: lib.dom's constraint dictionaries are accepted.
declare const constraints: MediaStreamConstraints;
declare const trackConstraints: MediaTrackConstraints;
export const p: Promise<OurStream> = devices.getUserMedia(constraints);
// biome-ignore lint/suspicious/noConfusingVoidType: ours is Promise<undefined> (the IDL's), lib.dom's Promise<void>.
export const q: Promise<void | undefined> = track.applyConstraints(trackConstraints);
export const settings: MediaTrackSettings = track.getSettings();
export const capabilities: MediaTrackCapabilities = track.getCapabilities();
export const supported: MediaTrackSupportedConstraints = devices.getSupportedConstraints();
