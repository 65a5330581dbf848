/**
 * The [[Capabilities]] of a track from a device (https://w3c.github.io/mediacapture-main/#dom-constrainablepattern-getcapabilities
 * §4.3.5 MediaTrackCapabilities, §4.3.8, §11.3).
 *
 * Video ranges span what crop-and-scale reaches, as §4.3.8 asks: width and height from 1 to the
 * largest native size, frameRate from 0 ("with min being equal to 0") to the largest native rate,
 * aspectRatio from 1/(largest height) to (largest width)/1 (what Chromium reports), rounded like
 * the setting. resizeMode lists both "none" and "crop-and-scale". facingMode is [] for a camera
 * that does not know its direction (as Chromium reports).
 */
import type { DeviceDescriptor } from '../../media/modes.js';
import { mediaKindOf } from '../../media/modes.js';
import type { DoubleRange, MediaTrackCapabilities, ULongRange } from './dictionaries.js';
import { roundAspectRatio } from './properties.js';
import type { DeviceIds } from './settings-space.js';

/**
 * The `MediaTrackCapabilities` dictionary of a track from `device`, members in WebIDL
 * (lexicographic) order. A device without native modes has only deviceId and groupId (and, for
 * video, facingMode and resizeMode).
 */
export function capabilitiesOf(device: DeviceDescriptor, ids: DeviceIds): MediaTrackCapabilities {
  return mediaKindOf(device.kind) === 'video' ? videoCapabilities(device, ids) : audioCapabilities(device, ids);
}

function videoCapabilities(device: DeviceDescriptor, ids: DeviceIds): MediaTrackCapabilities {
  const modes = (device.videoModes ?? []).filter((m) => m.width >= 1 && m.height >= 1 && m.frameRate > 0);
  const caps: MediaTrackCapabilities = {};
  if (modes.length > 0) {
    const maxWidth = Math.max(...modes.map((m) => Math.floor(m.width)));
    const maxHeight = Math.max(...modes.map((m) => Math.floor(m.height)));
    caps.aspectRatio = { max: roundAspectRatio(maxWidth), min: roundAspectRatio(1 / maxHeight) };
  }
  caps.deviceId = ids.deviceId;
  caps.facingMode = device.facingMode ? [device.facingMode] : [];
  if (modes.length > 0) caps.frameRate = { max: Math.max(...modes.map((m) => m.frameRate)), min: 0 };
  caps.groupId = ids.groupId;
  if (modes.length > 0) caps.height = { max: Math.max(...modes.map((m) => Math.floor(m.height))), min: 1 };
  caps.resizeMode = ['none', 'crop-and-scale'];
  if (modes.length > 0) caps.width = { max: Math.max(...modes.map((m) => Math.floor(m.width))), min: 1 };
  return caps;
}

function audioCapabilities(device: DeviceDescriptor, ids: DeviceIds): MediaTrackCapabilities {
  const modes = device.audioModes ?? [];
  const range = (values: number[]): ULongRange & DoubleRange => ({ max: Math.max(...values), min: Math.min(...values) });
  const caps: MediaTrackCapabilities = {};
  caps.autoGainControl = switchCapability(device.autoGainControl);
  if (modes.length > 0) caps.channelCount = range(modes.map((m) => m.channelCount));
  caps.deviceId = ids.deviceId;
  caps.echoCancellation = switchCapability(device.echoCancellation);
  caps.groupId = ids.groupId;
  if (modes.length > 0) caps.latency = range(modes.map((m) => m.latency));
  caps.noiseSuppression = switchCapability(device.noiseSuppression);
  if (modes.length > 0) {
    caps.sampleRate = range(modes.map((m) => m.sampleRate));
    caps.sampleSize = range(modes.map((m) => m.sampleSize));
  }
  return caps;
}

/**
 * A processing switch (§4.3.5): "If the source cannot do [it] a single false is reported. If [it]
 * cannot be turned off, a single true is reported", else both.
 */
function switchCapability(values: readonly boolean[] | undefined): boolean[] {
  const distinct = [...new Set(values ?? [])];
  return distinct.length > 0 ? distinct : [false];
}
