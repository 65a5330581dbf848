import type { ProvidedDevice } from '../backends/device-manager.js';
import type { AudioMode, VideoMode } from '../media/modes.js';
import { abortError, domException, notAllowed, notFound, notReadable, overconstrained } from '../platform/errors.js';
import {
  ALLOWED_REQUIRED_CONSTRAINTS_FOR_DEVICE_SELECTION,
  constrainableProperty,
  selectSettings,
  type ConvertedMediaStreamConstraints,
  type MediaTrackConstraints,
  type MediaTrackSettings,
} from './constraints/index.js';
import { createDeviceTrack } from './device-track.js';
import type { MediaDevicesState } from './media-devices-state.js';
import type { Stream } from './track/stream.js';
import { stopTrack, type Track } from './track/track.js';

type MediaType = 'audio' | 'video';

const PERMISSION: Record<MediaType, 'camera' | 'microphone'> = { video: 'camera', audio: 'microphone' };
const DEVICE_KIND: Record<MediaType, 'videoinput' | 'audioinput'> = { video: 'videoinput', audio: 'audioinput' };

interface Candidate {
  device: ProvidedDevice;
  settings: MediaTrackSettings;
  mode: VideoMode | AudioMode;
  distance: number;
  order: number;
}

type ConstraintSet = Record<string, unknown> & { advanced?: Record<string, unknown>[] };

function isRequired(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && ('min' in value || 'max' in value || 'exact' in value);
}

/**
 * Step 11.3.3: drop the properties defined only for the other kind of device track, in the basic
 * set and every advanced set. (Display-only properties stay, so that step 11.3.4 refuses them
 * when required.)
 */
function removeForeignProperties(cs: ConstraintSet, kind: MediaType): ConstraintSet {
  const foreign = (name: string) => {
    const device = constrainableProperty(name)?.device;
    return device !== undefined && device !== null && device !== 'both' && device !== kind;
  };
  const keep = (set: Record<string, unknown>) => Object.fromEntries(Object.entries(set).filter(([k]) => k === 'advanced' || !foreign(k)));
  const out = keep(cs) as ConstraintSet;
  if (Array.isArray(cs.advanced)) out.advanced = cs.advanced.map((s) => keep(s));
  return out;
}

/**
 * getUserMedia() (https://w3c.github.io/mediacapture-main/#dom-mediadevices-getusermedia §10.1.1),
 * steps 2–12. `constraints` is the argument after WebIDL conversion, which MediaDevices does.
 */
export async function getUserMedia(state: MediaDevicesState, constraints: ConvertedMediaStreamConstraints): Promise<Stream> {
  // 1. (constraints: converted by the caller.)
  // 2.
  const requestedMediaTypes = new Set<MediaType>();
  if (constraints.audio !== false) requestedMediaTypes.add('audio');
  if (constraints.video !== false) requestedMediaTypes.add('video');
  // 3.
  if (requestedMediaTypes.size === 0) {
    throw new TypeError("Failed to execute 'getUserMedia' on 'MediaDevices': At least one of audio and video must be requested (both are false or missing).");
  }
  // 5.
  if (!state.fullyActive) throw domException('InvalidStateError', 'getUserMedia() was called on a MediaDevices whose global was uninstalled (the document is not fully active).');
  // 6.–7. Every feature is allowed: there is no permissions policy outside a browser.
  // 11. "in parallel" (the rest runs after this call returns its promise).
  await Promise.resolve();
  return await getUserMediaInParallel(state, requestedMediaTypes, constraints as Record<MediaType, unknown>);
}

async function getUserMediaInParallel(
  state: MediaDevicesState,
  requestedMediaTypes: Set<MediaType>,
  constraints: Record<MediaType, unknown>,
): Promise<Stream> {
  // 11.1. Is in view: always, for a Node global.
  const deviceList = await state.manager.list();
  // 11.2.
  const finalSet = new Map<MediaType, Candidate[]>();
  const constraintSets = new Map<MediaType, ConstraintSet>();
  // 11.3.
  for (const kind of requestedMediaTypes) {
    // 11.3.1. One candidate per device (its configurations are SelectSettings' candidates).
    const devices = deviceList.filter((d) => d.descriptor.kind === DEVICE_KIND[kind]);
    if (devices.length === 0) throw notFoundFailure(state, requestedMediaTypes, kind);
    // 11.3.2.
    const value = constraints[kind];
    let cs: ConstraintSet = value === true ? {} : (value as ConstraintSet);
    // 11.3.3.
    cs = removeForeignProperties(cs, kind);
    // 11.3.4.
    for (const [name, v] of Object.entries(cs)) {
      if (name !== 'advanced' && isRequired(v) && !ALLOWED_REQUIRED_CONSTRAINTS_FOR_DEVICE_SELECTION.has(name)) {
        throw new TypeError(`getUserMedia: "${kind}.${name}" cannot be a required constraint (min, max or exact) when selecting a device; use "ideal" instead.`);
      }
    }
    constraintSets.set(kind, cs);
    // 11.3.5. SelectSettings on each candidate.
    let candidateSet: Candidate[] = [];
    const failed = new Map<string, number>();
    devices.forEach((device, order) => {
      const ids = { deviceId: state.deviceIdOf(device), groupId: state.groupIdOf(device) };
      const result = selectSettings(device.descriptor, ids, cs as never);
      if ('failed' in result) failed.set(result.failed, (failed.get(result.failed) ?? 0) + 1);
      else candidateSet.push({ device, settings: result.settings, mode: result.mode, distance: result.distance, order });
    });
    if (candidateSet.length === 0) {
      // "any required constraint whose fitness distance was infinity for all settings
      // dictionaries examined": one that failed for every device, else "".
      let failedConstraint = '';
      for (const [name, count] of failed) if (name !== '' && count === devices.length) failedConstraint = name;
      throw constraintFailure(state, requestedMediaTypes, failedConstraint);
    }
    // 11.3.6. Devices whose permission is "denied" (unless already live in this document).
    const name = PERMISSION[kind];
    if (state.permissions.state(name) === 'denied') {
      candidateSet = candidateSet.filter((c) => isLiveInDocument(state, c.device));
      if (candidateSet.length === 0) throw permissionFailure(`${name} permission is denied for ${state.origin}.`);
    }
    // 11.3.8.
    finalSet.set(kind, candidateSet);
  }
  // 11.5. Request permission for each kind (together, like one bundled prompt).
  const answers = await Promise.all(
    [...requestedMediaTypes].map(async (kind) => {
      const candidates = finalSet.get(kind)!;
      if (candidates.some((c) => isLiveInDocument(state, c.device))) return ['granted', kind] as const;
      const answer = await state.permissions.request(PERMISSION[kind], candidates.map((c) => c.device.descriptor.label));
      return [answer, kind] as const;
    }),
  );
  for (const [answer, kind] of answers) {
    // 11.5.2.
    if (answer !== 'granted') {
      throw permissionFailure(
        answer === 'denied'
          ? `Permission to use the ${PERMISSION[kind]} was denied for ${state.origin}.`
          : `Permission to use the ${PERMISSION[kind]} was dismissed: the permission state is "prompt" and no prompt handler granted it (set one with installGlobals({ permissions: { onPrompt } })).`,
      );
    }
  }
  if (!state.fullyActive) throw domException('AbortError', 'The global was uninstalled while getUserMedia() was waiting for permission.');
  // 11.8.
  state.setDeviceInformationExposure(requestedMediaTypes, true);
  // 11.9. Open the best candidate of each kind; fall back to the next on failure.
  const opened: Track[] = [];
  try {
    for (const kind of requestedMediaTypes) opened.push(await openBestCandidate(state, finalSet.get(kind)!, trackConstraints(constraints[kind])));
  } catch (e) {
    for (const t of opened) stopTrack(t);
    throw e;
  }
  // 11.4., 11.9.6.
  const stream = state.interfaces.createMediaStream(opened);
  // 11.10. The tracks were created with the settings SelectSettings chose for these constraints.
  // 11.12.
  return stream;
}

/** Step 11.9 for one kind: the UA's choice by fitness distance, the system default first on ties. */
async function openBestCandidate(state: MediaDevicesState, candidates: Candidate[], constraints: MediaTrackConstraints): Promise<Track> {
  const remaining = [...candidates].sort((a, b) => a.distance - b.distance || Number(!!b.device.descriptor.isDefault) - Number(!!a.device.descriptor.isDefault) || a.order - b.order);
  let lastError: DOMException | undefined;
  while (remaining.length > 0) {
    // 11.9.1.
    const finalCandidate = remaining.shift()!;
    const { device, settings, mode } = finalCandidate;
    let source;
    try {
      // 11.9.2.
      source = await state.manager.open(device, {
        mode,
        ...(typeof settings.echoCancellation === 'boolean' ? { echoCancellation: settings.echoCancellation } : {}),
        ...(typeof settings.autoGainControl === 'boolean' ? { autoGainControl: settings.autoGainControl } : {}),
        ...(typeof settings.noiseSuppression === 'boolean' ? { noiseSuppression: settings.noiseSuppression } : {}),
      });
    } catch (e) {
      const hardware = e instanceof DOMException && e.name === 'NotReadableError';
      lastError = hardware
        ? notReadable(`Could not start ${device.descriptor.kind} "${device.descriptor.label}": ${e.message}`)
        : abortError(`Could not start ${device.descriptor.kind} "${device.descriptor.label}": ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    // 11.9.3.–11.9.4.
    const deviceId = state.deviceIdOf(device);
    state.devicesLiveMap.set(deviceId, true);
    state.devicesAccessibleMap.set(deviceId, true);
    // 11.9.5.
    const track = createDeviceTrack(state, device, source, settings, constraints);
    // 11.11. tie track source to MediaDevices.
    state.tieSource(source, deviceId, device.descriptor.kind);
    return track;
  }
  throw lastError ?? abortError('No device could be opened.');
}

/** The constraints a track of one kind is created with: the member of MediaStreamConstraints (`true` is `{}`). */
function trackConstraints(value: unknown): MediaTrackConstraints {
  return typeof value === 'object' && value !== null ? value : {};
}

function isLiveInDocument(state: MediaDevicesState, device: ProvidedDevice): boolean {
  const id = state.deviceIdOf(device);
  for (const t of state.liveTracks.values()) if (t.deviceId === id) return true;
  return false;
}

/** "getUserMedia specific failure is allowed" (§10.1.1). */
function specificFailureAllowed(state: MediaDevicesState, requestedMediaTypes: Set<MediaType>): boolean {
  if (requestedMediaTypes.has('audio') && state.permissions.state('microphone') === 'denied') return false;
  if (requestedMediaTypes.has('video') && state.permissions.state('camera') === 'denied') return false;
  return true;
}

/** "Permission Failure": a NotAllowedError. */
function permissionFailure(message: string): DOMException {
  return notAllowed(message);
}

/** Step 11.13. */
function notFoundFailure(state: MediaDevicesState, requestedMediaTypes: Set<MediaType>, kind: MediaType): DOMException {
  if (!specificFailureAllowed(state, requestedMediaTypes)) return permissionFailure(`Permission to use the ${PERMISSION[kind]} is denied for ${state.origin}.`);
  return notFound(`Requested device not found: there is no ${DEVICE_KIND[kind]} device. Plug one in, or configure a built-in or file device.`);
}

/** Step 11.14. */
function constraintFailure(state: MediaDevicesState, requestedMediaTypes: Set<MediaType>, failedConstraint: string): DOMException {
  if (!specificFailureAllowed(state, requestedMediaTypes)) return permissionFailure(`Permission is denied for ${state.origin}.`);
  // The constraint is revealed only once device information can be exposed (fingerprinting).
  const constraint = state.deviceInfoCanBeExposed() ? failedConstraint : '';
  return overconstrained(constraint);
}

