/**
 * A track as a constrainable object (https://w3c.github.io/mediacapture-main/#constrainable-interface):
 * getCapabilities(), getConstraints(), getSettings() and applyConstraints(). SelectSettings is
 * the track source's (source.ts); steps 1–2 of ApplyConstraints are the pure engine's
 * (constraints/apply-constraints.ts); step 3 changes the track and the media it runs from.
 */
import { successfulSettingsFor } from '../constraints/apply-constraints.js';
import type { MediaTrackCapabilities, MediaTrackConstraints, MediaTrackSettings } from '../constraints/dictionaries.js';
import { sameMode } from '../constraints/settings-space.js';
import { overconstrained } from '../../platform/errors.js';
import { queueTask } from '../../platform/tasks.js';
import type { TrackSettingsSelection } from './source.js';
import { setSettings, type Track } from './track.js';

/** The "list of inherent constrainable track properties" (§4.3.2), kept after a track ends. */
const INHERENT_PROPERTIES = ['deviceId', 'facingMode', 'groupId'] as const;

/** getCapabilities() (https://w3c.github.io/mediacapture-main/#dom-constrainablepattern-getcapabilities): the source's. */
export function getCapabilities(track: Track): MediaTrackCapabilities {
  return track.source.capabilities();
}

/** getConstraints() (https://w3c.github.io/mediacapture-main/#dom-constrainablepattern-getconstraints): a copy of [[Constraints]]. */
export function getConstraints(track: Track): MediaTrackConstraints {
  return structuredClone(track.constraints);
}

/** getSettings() (https://w3c.github.io/mediacapture-main/#dom-constrainablepattern-getsettings). */
export function getSettings(track: Track): MediaTrackSettings {
  // An ended track keeps only its inherent constrainable properties (§4.3.2).
  if (track.readyState === 'ended') {
    const settings: MediaTrackSettings = {};
    for (const name of INHERENT_PROPERTIES) {
      const value = track.settings[name];
      if (value !== undefined) settings[name] = value;
    }
    return settings;
  }
  // The value of [[Settings]], or what the source's media shows now (a generator's frames).
  return track.source.liveSettings ? track.source.liveSettings(track.settings) : { ...track.settings };
}

/** MediaStreamTrack's applyConstraints() method steps (https://w3c.github.io/mediacapture-main/#dom-mediastreamtrack-applyconstraints). */
export function applyConstraints(track: Track, newConstraints: MediaTrackConstraints): Promise<undefined> {
  // 1. (track)
  // 2. If track's [[ReadyState]] is "ended", return a promise resolved with undefined.
  if (track.readyState === 'ended') return Promise.resolve(undefined);
  // 3. Invoke and return the result of the applyConstraints template method.
  return applyConstraintsTemplateMethod(track, newConstraints);
}

/** The applyConstraints template method (https://w3c.github.io/mediacapture-main/#dfn-applyconstraints-template-method). */
function applyConstraintsTemplateMethod(object: Track, newConstraints: MediaTrackConstraints): Promise<undefined> {
  // 1.–3. object, newConstraints, and p (the promise returned).
  // 4. Run the following steps in parallel, maintaining the order of invocations.
  const p = object.applyConstraintsQueue.then(async () => {
    // 4.1. Let failedConstraint be the result of running the ApplyConstraints algorithm.
    // 4.2. Let successfulSettings be the object's current settings after it has finished.
    const outcome = await applyConstraintsAlgorithm(object, newConstraints);
    // 4.3. Queue a task that runs the following steps:
    return new Promise<undefined>((resolve, reject) => {
      queueTask(() => {
        // 4.3.1. If failedConstraint is not undefined, reject p with a new OverconstrainedError; the
        //        existing constraints remain in effect.
        if ('failedConstraint' in outcome) {
          reject(overconstrained(outcome.failedConstraint));
          return;
        }
        // 4.3.2. Set object's [[Constraints]] internal slot to newConstraints.
        object.constraints = newConstraints;
        // 4.3.3. Set object's [[Settings]] internal slot to successfulSettings.
        if (object.readyState === 'live') setSettings(object, outcome.settings);
        // 4.3.4. Resolve p with undefined.
        resolve(undefined);
      });
    });
  });
  object.applyConstraintsQueue = p.catch(() => undefined);
  // 5. Return p.
  return p;
}

/**
 * The ApplyConstraints algorithm (https://w3c.github.io/mediacapture-main/#dfn-applyconstraints-algorithm)
 * for a track: steps 1–2 choose settings; step 3 makes the media run in the native mode they come
 * from. The new slots are set by the template method's queued task.
 */
async function applyConstraintsAlgorithm(track: Track, newConstraints: MediaTrackConstraints): Promise<{ failedConstraint: string } | { settings: MediaTrackSettings }> {
  const source = track.source;
  const media = source.media;
  // When other tracks share a video source, only settings made from its running native mode are
  // candidates (crop-and-scale from it). Audio of any mode is made from any other by resampling
  // and channel mixing, so audio is never restricted.
  const shared = media.observerCount > 1;
  const restrictToMode = shared && track.kind === 'video' ? media.mode : undefined;
  const select = (constraints: MediaTrackConstraints): TrackSettingsSelection => source.selectSettings(constraints, restrictToMode);
  // 1.–2. SelectSettings; undefined gives the failed constraint.
  const successfulSettings = successfulSettingsFor(select, newConstraints);
  if ('failedConstraint' in successfulSettings) return successfulSettings;
  // 3. Apply successfulSettings: the media must run in the mode they are made from.
  //    - It does already, or other tracks share it (then the settings were made from its mode).
  if (sameMode(successfulSettings.mode, media.mode) || shared) return successfulSettings;
  //    - Change the running mode.
  if (await media.reconfigure(successfulSettings.mode)) return successfulSettings;
  //    - Audio in any mode is made from the running one.
  if (track.kind === 'audio') return successfulSettings;
  //    - The backend cannot change modes while running: choose again within the running mode.
  return successfulSettingsFor((constraints: MediaTrackConstraints) => source.selectSettings(constraints, media.mode), newConstraints);
}
