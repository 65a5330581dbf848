/**
 * getDisplayMedia() (https://w3c.github.io/mediacapture-screen-share/#dom-mediadevices-getdisplaymedia, §5.1) and the settings of
 * the display tracks it makes (§5.4).
 *
 * How a browser's parts map onto Node:
 * - "Prompt the user to choose a display device": the `display-capture` permission's prompt
 *   handler. Answering "granted" is the user picking a surface: the first surface the display
 *   backends list (the X11 screen). "display-capture" is never stored as granted (§6); a state
 *   set to "granted" by the embedder (like Chromium's --auto-accept-this-tab-capture) picks
 *   without asking.
 * - Transient activation (step 4) and focus (step 10): a Node global has neither a user nor a
 *   focus, so every call counts as activated and focused; only "fully active" is checked.
 * - Audio: no display backend captures audio, so a request for audio gets a video-only stream,
 *   as the spec allows ("The user agent MAY accept a request for audio and video by only
 *   returning a video track").
 * - CaptureController (steps 3 and 12.8): bound to one call, then to the capture-session; see
 *   capture-controller.ts for what focus means here.
 * - Steps 1–10 run before the method returns, so a request they refuse gets a promise that is
 *   already rejected (browsers do this, and the screen-capture tests check it).
 */
import type { ProvidedDevice } from '../backends/device-manager.js';
import { bindController, startCaptureSession, type CaptureControllerSlots } from './capture-controller.js';
import type { AudioMode, DeviceDescriptor, VideoMode } from '../media/modes.js';
import type { Source } from '../media/source.js';
import { abortError, domException, notAllowed, notFound, notReadable, overconstrained } from '../platform/errors.js';
import {
  constrainableProperty,
  fitnessDistance,
  isRequired,
  normalizeConstraints,
  roundAspectRatio,
  selectSettings,
  type MediaTrackCapabilities,
  type MediaTrackConstraints,
  type MediaTrackSettings,
  type NormalizedConstraints,
  type NormalizedConstraintSet,
} from './constraints/index.js';
import type { ConvertedDisplayMediaStreamOptions } from '../webidl/screen-capture.js';
import type { LiveTrackKind, MediaDevicesState } from './media-devices-state.js';
import type { TrackSettingsSelection, TrackSource } from './track/source.js';
import type { Stream } from './track/stream.js';
import type { Track } from './track/track.js';

type MediaType = 'audio' | 'video';

/**
 * getDisplayMedia() (§5.1), steps 1–13. `options` is the argument after WebIDL conversion, which
 * MediaDevices does, and `controller` the slots of its `controller` member (or null). Throws for
 * steps 1–10 (the caller returns a rejected promise); the promise is step 11's p.
 */
export function getDisplayMedia(state: MediaDevicesState, options: ConvertedDisplayMediaStreamOptions, controller: CaptureControllerSlots | null): Promise<Stream> {
  // 1.–2.
  // 3.
  if (controller !== null) bindController(controller);
  // 4. Transient activation: always (module comment).
  // 5.
  // 6.
  const constraints: Record<MediaType, false | MediaTrackConstraints> = { audio: options.audio, video: options.video };
  // 7.
  if (constraints.video === false) {
    throw new TypeError("Failed to execute 'getDisplayMedia' on 'MediaDevices': video must be requested (it is false); audio-only display capture is not allowed.");
  }
  // 8.
  for (const kind of ['audio', 'video'] as const) {
    const cs = constraints[kind];
    if (cs === false) continue;
    // 8.1.
    if (cs.advanced !== undefined) throw new TypeError(`getDisplayMedia: "${kind}.advanced" is not allowed; display capture takes no advanced constraints.`);
    const displayMembers = Object.entries(cs).filter(([name, value]) => constrainableProperty(name)?.display && typeof value === 'object' && value !== null && !Array.isArray(value));
    // 8.2. (every member, before any is checked against its floor in 8.3)
    for (const [name, value] of displayMembers) {
      if ('min' in value || 'exact' in value) {
        throw new TypeError(`getDisplayMedia: "${kind}.${name}" cannot have "min" or "exact": the user chooses the surface, constraints only shape it afterwards. Use "ideal" or "max".`);
      }
    }
    for (const [name, value] of displayMembers) {
      const property = constrainableProperty(name)!;
      // 8.3.
      const max = (value as { max?: unknown }).max;
      if (typeof max === 'number' && property.floor !== undefined && max < property.floor) {
        throw overconstrained(name, `${kind}.${name}.max is ${max}, below the smallest value display capture supports (${property.floor})`);
      }
    }
  }
  // 9.
  const requestedMediaTypes = new Set<MediaType>((['audio', 'video'] as const).filter((t) => constraints[t] !== false));
  // 10.
  if (!state.fullyActive) throw domException('InvalidStateError', 'getDisplayMedia() was called on a MediaDevices whose global was uninstalled (the document is not fully active).');
  // 11.–12. in parallel.
  return Promise.resolve().then(() => getDisplayMediaInParallel(state, requestedMediaTypes, constraints.video as MediaTrackConstraints, controller));
}

async function getDisplayMediaInParallel(
  state: MediaDevicesState,
  requestedMediaTypes: Set<MediaType>,
  videoConstraints: MediaTrackConstraints,
  controller: CaptureControllerSlots | null,
): Promise<Stream> {
  const surfaces = await listSurfaces(state);
  // 12.1. For each media type T in requestedMediaTypes:
  for (const type of requestedMediaTypes) {
    // 12.1.1. Audio is not refused for want of sources: the request is answered with video only
    // (module comment). No video surface at all is NotFoundError.
    if (type === 'video' && surfaces.length === 0) {
      const why = state.manager.displays.map((p) => (p as { lastError?: string }).lastError).filter(Boolean).join('; ');
      throw notFound(`There is no display to capture${why ? `: ${why}` : ''}. Set DISPLAY to an X server (e.g. Xvfb), or configure a display backend.`);
    }
    // 12.1.2. One permission, "display-capture", covers both types.
    if (state.permissions.state('display-capture') === 'denied') throw permissionFailure(`display-capture permission is denied for ${state.origin}.`);
  }
  // 12.2. Nothing to add.
  // 12.3. Prompt the user to choose: the prompt handler answers for the user.
  const answer = await state.permissions.request('display-capture', surfaces.map((s) => s.descriptor.label));
  if (answer !== 'granted') {
    throw permissionFailure(
      answer === 'denied'
        ? `The user denied display capture for ${state.origin}.`
        : 'The display-capture prompt was dismissed: no prompt handler answered "granted" (set one with installGlobals({ permissions: { onPrompt } })).',
    );
  }
  if (!state.fullyActive) throw abortError('The global was uninstalled while getDisplayMedia() was waiting for the user.');
  const surface = surfaces[0]!;
  const ids = { deviceId: state.deviceIdOf(surface), groupId: state.groupIdOf(surface) };
  // 12.6. (taken before opening, so that the source opens in the chosen native mode): ApplyConstraints.
  const selection = selectDisplaySettings(surface.descriptor, ids, videoConstraints);
  if ('failed' in selection) throw overconstrained(selection.failed);
  // 12.3. "device access": a hardware error is NotReadableError, anything else AbortError.
  let source: Source;
  try {
    source = await surface.provider.open(surface.descriptor, { mode: selection.mode });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'NotReadableError') throw notReadable(e.message);
    throw abortError(`Could not start capturing "${surface.descriptor.label}": ${e instanceof Error ? e.message : String(e)}`);
  }
  // 12.3. set [[devicesLiveMap]] and [[devicesAccessibleMap]] for the device.
  state.devicesLiveMap.set(ids.deviceId, true);
  state.devicesAccessibleMap.set(ids.deviceId, true);
  // 12.5.1.
  const track = createDisplayTrack(state, surface, source, ids, selection.settings, videoConstraints);
  // 12.4., 12.5.2.
  const stream = state.interfaces.createMediaStream([track]);
  // 12.5.3.
  state.tieSource(source, ids.deviceId, DISPLAY_KIND);
  // 12.7. (a capture-session) 12.8.
  if (controller !== null) startCaptureSession(controller, source, SURFACE_SETTINGS.displaySurface);
  // 12.9.
  return stream;
}

/**
 * The kind display tracks are registered under in [[liveTracks]]: not "videoinput", so that a
 * screen capture does not make camera information exposable (§9.2.4 counts live cameras).
 */
const DISPLAY_KIND: LiveTrackKind = 'display';

async function listSurfaces(state: MediaDevicesState): Promise<ProvidedDevice[]> {
  const lists = await Promise.all(
    state.manager.displays.map(async (provider) => {
      try {
        return (await provider.enumerate())
          .filter((d) => d.kind === 'videoinput')
          .map((descriptor) => ({ descriptor, provider, key: `${provider.name}:${descriptor.rawId}` }));
      } catch {
        return [];
      }
    }),
  );
  return lists.flat();
}

/** A "permission failure": a NotAllowedError. */
function permissionFailure(message: string): DOMException {
  return notAllowed(message);
}

/** "create a MediaStreamTrack" for a display surface, bound to the display's settings rules. */
function createDisplayTrack(
  state: MediaDevicesState,
  surface: ProvidedDevice,
  source: Source,
  ids: { deviceId: string; groupId: string },
  settings: MediaTrackSettings,
  constraints: MediaTrackConstraints,
): Track {
  const trackSource: TrackSource = {
    media: source,
    // The video tracks of getDisplayMedia have [[Stats]] (mediacapture-extensions §5).
    frameStats: source.kind === 'video',
    label: surface.descriptor.label,
    permission: 'display-capture',
    capabilities: () => displayCapabilities(surface.descriptor, ids),
    selectSettings: (c, restrictToMode) => selectDisplaySettings(surface.descriptor, ids, c, restrictToMode),
    trackCreated: (track) => void state.liveTracks.set(track, { kind: DISPLAY_KIND, deviceId: ids.deviceId }),
    trackEnded: (track) => void state.liveTracks.delete(track),
  };
  return state.interfaces.createMediaStreamTrack({ source: trackSource, settings, constraints });
}

/** Settings every display track of this implementation has (§5.4): a whole screen, its logical surface. */
const SURFACE_SETTINGS = { displaySurface: 'monitor', logicalSurface: true } as const;
const CURSOR_ORDER = ['always', 'never', 'motion'] as const;

type CursorSetting = (typeof CURSOR_ORDER)[number];

function cursorOf(mode: VideoMode): CursorSetting {
  const c = (mode as { cursor?: unknown }).cursor;
  return c === 'always' || c === 'motion' ? c : 'never';
}

/**
 * SelectSettings for a display surface (§5.4, §5.4.1). The settings space is the native modes
 * (one per cursor setting the backend can draw) and their aspect-preserving downscales and
 * decimations. `displaySurface` is left out: it "can therefore not cause any side effects (such
 * as being the cause of OverconstrainedError)". Ties prefer the cursor drawn ("always").
 */
export function selectDisplaySettings(
  device: DeviceDescriptor,
  ids: { deviceId: string; groupId: string },
  constraints: MediaTrackConstraints | undefined,
  restrictToMode?: VideoMode | AudioMode,
): TrackSettingsSelection {
  const runningMode = restrictToMode && 'width' in restrictToMode ? restrictToMode : undefined;
  const normalized = normalizeConstraints(constraints ?? {});
  const withoutSurface = (set: NormalizedConstraintSet) => set.filter((c) => c.name !== 'displaySurface');
  const cs: NormalizedConstraints = { basic: withoutSurface(normalized.basic), advanced: normalized.advanced.map(withoutSurface) };
  const modes = device.videoModes ?? [];
  let best: { settings: MediaTrackSettings; mode: VideoMode; distance: number } | undefined;
  const failures = new Map<string, number>();
  let groups = 0;
  for (const cursor of CURSOR_ORDER) {
    const group = modes.filter((m) => cursorOf(m) === cursor && (!runningMode || cursorOf(runningMode) === cursor));
    if (group.length === 0) continue;
    groups++;
    const r = selectSettings({ ...device, videoModes: group }, ids, cs, {
      extra: { ...SURFACE_SETTINGS, cursor },
      ...(runningMode ? { restrictToMode: runningMode } : {}),
    });
    if ('failed' in r) {
      failures.set(r.failed, (failures.get(r.failed) ?? 0) + 1);
      continue;
    }
    const kept = preserveAspectRatio(r.settings, r.mode as VideoMode, cs.basic);
    if ('failed' in kept) {
      failures.set(kept.failed, (failures.get(kept.failed) ?? 0) + 1);
      continue;
    }
    const distance = fitnessDistance(kept.settings as never, cs.basic, 'ideal', (name) => name in kept.settings);
    if (!best || distance < best.distance) best = { settings: kept.settings, mode: r.mode as VideoMode, distance };
  }
  if (!best) {
    let failed = '';
    for (const [name, count] of failures) if (name !== '' && count === groups) failed = name;
    return { failed };
  }
  const { groupId: _hidden, ...settings } = best.settings;
  return { settings, mode: best.mode };
}

/**
 * "The user agent MUST NOT crop the captured output" (§5.4.1): a size SelectSettings chose with
 * another aspect ratio than the surface's becomes the aspect-preserving size inside it (or, if
 * that breaks a required constraint, around it, never above the native size), to the nearest pixel.
 */
function preserveAspectRatio(settings: MediaTrackSettings, mode: VideoMode, basic: NormalizedConstraintSet): { settings: MediaTrackSettings } | { failed: string } {
  const w = settings.width as number;
  const h = settings.height as number;
  const ratio = mode.width / mode.height;
  if (Math.round(w / ratio) === h || Math.round(h * ratio) === w) return { settings };
  const inside = w / h > ratio ? { width: Math.max(1, Math.round(h * ratio)), height: h } : { width: w, height: Math.max(1, Math.round(w / ratio)) };
  const around = w / h > ratio ? { width: w, height: Math.min(mode.height, Math.round(w / ratio)) } : { width: Math.min(mode.width, Math.round(h * ratio)), height: h };
  for (const size of [inside, around]) {
    const candidate = { ...settings, ...size, aspectRatio: roundAspectRatio(size.width / size.height) };
    if (fitnessDistance(candidate as never, basic, 'ideal', (name) => name in candidate) < Infinity) return { settings: candidate };
  }
  const failed = basic.find((c) => (c.name === 'width' || c.name === 'height' || c.name === 'aspectRatio') && isRequired(c, 'ideal'));
  return { failed: failed?.name ?? '' };
}

/** getCapabilities() of a display track (§5.4, §5.4.12), members in WebIDL (lexicographic) order. */
export function displayCapabilities(device: DeviceDescriptor, ids: { deviceId: string }): MediaTrackCapabilities {
  const modes = device.videoModes ?? [];
  const width = Math.max(1, ...modes.map((m) => m.width));
  const height = Math.max(1, ...modes.map((m) => m.height));
  const ratio = roundAspectRatio(width / height);
  return {
    // "As a capability, min and max both MUST be the current setting value."
    aspectRatio: { max: ratio, min: ratio },
    cursor: CURSOR_ORDER.filter((c) => modes.some((m) => cursorOf(m) === c)),
    deviceId: ids.deviceId,
    displaySurface: SURFACE_SETTINGS.displaySurface,
    frameRate: { max: Math.max(0, ...modes.map((m) => m.frameRate)), min: 0 },
    height: { max: height, min: 1 },
    logicalSurface: SURFACE_SETTINGS.logicalSurface,
    resizeMode: ['none', 'crop-and-scale'],
    width: { max: width, min: 1 },
  };
}
