import { illegalConstructor, illegalInvocation } from '../platform/errors.js';
import { defineEventHandler } from '../platform/event-handler.js';
import { INTERNAL, exposeInterface } from '../platform/interface.js';
import { queueTask } from '../platform/tasks.js';
import { toBoolean, toDOMString } from '../webidl/converters.js';
import { convertMediaTrackConstraints } from '../webidl/constraints.js';
import type { Source, SourceObserver } from '../media/source.js';
import type { MediaKind } from '../media/modes.js';
import { overconstrained } from './OverconstrainedError.js';
import type { SettingsDictionary, TrackBinding, TrackObserver } from './track-binding.js';
import type { MediaTrackCapabilities, MediaTrackConstraints, MediaTrackSettings } from '../algorithms/constraints/dictionaries.js';

export type MediaStreamTrackState = 'live' | 'ended';

/** The "list of inherent constrainable track properties" (§4.3.2), kept after a track ends. */
const INHERENT_PROPERTIES = ['deviceId', 'facingMode', 'groupId'] as const;

/** Valid contentHint values per kind (mediacapture-content-hints); anything else is ignored. */
const CONTENT_HINTS: Record<MediaKind, readonly string[]> = {
  audio: ['', 'speech', 'speaking', 'music'],
  video: ['', 'motion', 'detail', 'text'],
};

/** What package code passes to construct a track ("create a MediaStreamTrack", §4.3). */
export interface TrackInit {
  binding: TrackBinding;
  /** The [[Id]]; a new UUID unless the track is the receiving end of a transfer. */
  id?: string;
  settings: SettingsDictionary;
  constraints: unknown;
}

/**
 * Narrow package-internal access to a track's slots, for consumers (processors, recorders,
 * streams) and for the permission revocation algorithm.
 */
export let trackInternals: {
  is(value: unknown): value is MediaStreamTrack;
  source(track: MediaStreamTrack): Source;
  binding(track: MediaStreamTrack): TrackBinding;
  settings(track: MediaStreamTrack): SettingsDictionary;
  observe(track: MediaStreamTrack, observer: TrackObserver): () => void;
  /** "end the track" as the UA does (revocation, device loss): queues the ended steps. */
  endTrack(track: MediaStreamTrack): void;
};

/**
 * MediaStreamTrack (mediacapture-main §4.3). Script cannot construct it; getUserMedia, clone(),
 * generators and getDisplayMedia do, through the package-internal `INTERNAL` token.
 */
export class MediaStreamTrack extends EventTarget {
  /** The `mute` event handler (an enumerable accessor on the prototype). */
  declare onmute: ((ev: Event) => any) | null;
  /** The `unmute` event handler (an enumerable accessor on the prototype). */
  declare onunmute: ((ev: Event) => any) | null;
  /** The `ended` event handler (an enumerable accessor on the prototype). */
  declare onended: ((ev: Event) => any) | null;

  #kind: MediaKind;
  #id: string;
  #label: string;
  #enabled = true;
  #muted: boolean;
  #readyState: MediaStreamTrackState = 'live';
  #contentHint = '';
  #constraints: unknown;
  #settings: SettingsDictionary;
  #binding: TrackBinding;
  #observers = new Set<TrackObserver>();
  /** applyConstraints calls run in order ("maintaining the order of invocations"). */
  #applyChain: Promise<unknown> = Promise.resolve();
  #sourceObserver: SourceObserver;

  constructor(token?: typeof INTERNAL, init?: TrackInit) {
    if (token !== INTERNAL || !init) throw illegalConstructor('MediaStreamTrack');
    super();
    const { binding } = init;
    const source = binding.source;
    // "create a MediaStreamTrack" step 1: initialize the internal slots.
    this.#binding = binding;
    this.#id = init.id ?? crypto.randomUUID();
    this.#kind = source.kind;
    this.#label = binding.label;
    this.#muted = source.muted;
    this.#settings = { ...init.settings };
    this.#constraints = init.constraints;
    this.#sourceObserver = {
      sourceMutedChanged: (muted) => {
        // §4.3.1.1: the UA "MUST queue a task ... to set a track's muted state".
        queueTask(() => this.#setMutedState(muted));
      },
      sourceEnded: () => {
        // §4.3.1.2: a track that ends for any reason other than stop() queues a task.
        queueTask(() => this.#endedBySource());
      },
    };
    if (source.stopped) this.#readyState = 'ended';
    else {
      source.attach(this.#sourceObserver);
      binding.trackCreated?.(this);
    }
  }

  /** "audio" or "video". */
  get kind(): string {
    if (!(#kind in this)) throw illegalInvocation('MediaStreamTrack', 'kind');
    return this.#kind;
  }

  get id(): string {
    if (!(#id in this)) throw illegalInvocation('MediaStreamTrack', 'id');
    return this.#id;
  }

  get label(): string {
    if (!(#label in this)) throw illegalInvocation('MediaStreamTrack', 'label');
    return this.#label;
  }

  get enabled(): boolean {
    if (!(#enabled in this)) throw illegalInvocation('MediaStreamTrack', 'enabled');
    return this.#enabled;
  }

  set enabled(value: boolean) {
    if (!(#enabled in this)) throw illegalInvocation('MediaStreamTrack', 'enabled');
    const enabled = toBoolean(value);
    if (enabled === this.#enabled) return;
    this.#enabled = enabled;
    for (const o of [...this.#observers]) o.enabledChanged?.(enabled);
  }

  get muted(): boolean {
    if (!(#muted in this)) throw illegalInvocation('MediaStreamTrack', 'muted');
    return this.#muted;
  }

  get readyState(): MediaStreamTrackState {
    if (!(#readyState in this)) throw illegalInvocation('MediaStreamTrack', 'readyState');
    return this.#readyState;
  }

  /** A hint for consumers (mediacapture-content-hints). Invalid values are ignored, as in browsers. */
  get contentHint(): string {
    if (!(#contentHint in this)) throw illegalInvocation('MediaStreamTrack', 'contentHint');
    return this.#contentHint;
  }

  set contentHint(value: string) {
    if (!(#contentHint in this)) throw illegalInvocation('MediaStreamTrack', 'contentHint');
    const hint = toDOMString(value, "Failed to set 'contentHint' on 'MediaStreamTrack': the value");
    if (CONTENT_HINTS[this.#kind].includes(hint)) this.#contentHint = hint;
  }

  /** "clone a track" (§4.3). */
  clone(): MediaStreamTrack {
    if (!(#binding in this)) throw illegalInvocation('MediaStreamTrack', 'clone');
    // 1.–3. create a track with the same source and no MediaDevices to tie to.
    const trackClone = new MediaStreamTrack(INTERNAL, {
      binding: this.#binding,
      settings: this.#settings,
      constraints: structuredCloneConstraints(this.#constraints),
    });
    // 4. readyState (a clone of an ended track is ended).
    if (this.#readyState === 'ended' && trackClone.#readyState === 'live') {
      trackClone.#readyState = 'ended';
      this.#binding.source.detach(trackClone.#sourceObserver);
      this.#binding.trackEnded?.(trackClone);
    }
    // 5.–7. capabilities come from the shared binding; constraints and settings copied above.
    // Independent state that is copied, as browsers do: enabled and contentHint.
    trackClone.#enabled = this.#enabled;
    trackClone.#contentHint = this.#contentHint;
    return trackClone;
  }

  /** stop() (§4.3.3.2): ends the track without firing `ended`. */
  stop(): void {
    if (!(#readyState in this)) throw illegalInvocation('MediaStreamTrack', 'stop');
    // 2.
    if (this.#readyState === 'ended') return;
    // 3. notify the source; the last track to detach stops it.
    this.#binding.source.detach(this.#sourceObserver);
    // 4.
    this.#readyState = 'ended';
    this.#afterEnded();
  }

  getCapabilities(): MediaTrackCapabilities {
    if (!(#binding in this)) throw illegalInvocation('MediaStreamTrack', 'getCapabilities');
    return this.#binding.capabilities() as MediaTrackCapabilities;
  }

  getConstraints(): MediaTrackConstraints {
    if (!(#constraints in this)) throw illegalInvocation('MediaStreamTrack', 'getConstraints');
    return structuredCloneConstraints(this.#constraints) as MediaTrackConstraints;
  }

  /** getSettings() (§4.3.3.2). */
  getSettings(): MediaTrackSettings {
    if (!(#settings in this)) throw illegalInvocation('MediaStreamTrack', 'getSettings');
    // 2. An ended track keeps only its inherent properties.
    if (this.#readyState === 'ended') {
      const settings: SettingsDictionary = {};
      for (const name of INHERENT_PROPERTIES) if (name in this.#settings) settings[name] = this.#settings[name];
      return settings as MediaTrackSettings;
    }
    // 3.
    const live = this.#binding.liveSettings;
    return (live ? live(this.#settings) : { ...this.#settings }) as MediaTrackSettings;
  }

  /** applyConstraints() (§4.3.3.2 and the ConstrainablePattern template, §11.1.1). */
  applyConstraints(constraints: MediaTrackConstraints = {}): Promise<undefined> {
    if (!(#binding in this)) return Promise.reject(illegalInvocation('MediaStreamTrack', 'applyConstraints'));
    let newConstraints: unknown;
    try {
      newConstraints = convertMediaTrackConstraints(constraints, "Failed to execute 'applyConstraints' on 'MediaStreamTrack': argument 1");
    } catch (e) {
      return Promise.reject(e);
    }
    // 2. An ended track resolves at once.
    if (this.#readyState === 'ended') return Promise.resolve(undefined);
    // Template 3.–5.
    const run = this.#applyChain.then(() => this.#applyConstraintsInParallel(newConstraints));
    this.#applyChain = run.catch(() => undefined);
    return run;
  }

  async #applyConstraintsInParallel(newConstraints: unknown): Promise<undefined> {
    const source = this.#binding.source;
    // 4.1. the ApplyConstraints algorithm. When other tracks share a video source, only settings
    // reachable from its running native mode are candidates (crop-and-scale from it). Audio of
    // any mode can be made from any other by resampling and channel mixing, so audio is free.
    const shared = source.observerCount > 1;
    const restrict = shared && this.#kind === 'video';
    const selection = this.#binding.select(newConstraints, restrict ? source.mode : undefined);
    let failedConstraint: string | undefined;
    let successfulSettings = this.#settings;
    if ('failed' in selection) {
      failedConstraint = selection.failed;
    } else if (selection.mode === source.mode || shared || (await source.reconfigure(selection.mode)) || this.#kind === 'audio') {
      successfulSettings = selection.settings;
    } else {
      // The backend cannot change modes while running: choose again within the running mode.
      const again = this.#binding.select(newConstraints, source.mode);
      if ('failed' in again) failedConstraint = again.failed;
      else successfulSettings = again.settings;
    }
    // 4.3. queue a task to settle the promise.
    return new Promise<undefined>((resolve, reject) => {
      queueTask(() => {
        // 4.3.1.
        if (failedConstraint !== undefined) {
          reject(overconstrained(failedConstraint));
          return;
        }
        // 4.3.2.–4.3.3.
        this.#constraints = newConstraints;
        if (this.#readyState === 'live') this.#setSettings(successfulSettings);
        // 4.3.4.
        resolve(undefined);
      });
    });
  }

  #setSettings(settings: SettingsDictionary): void {
    this.#settings = { ...settings };
    for (const o of [...this.#observers]) o.settingsChanged?.(this.#settings);
  }

  /** "set a track's muted state" (§4.3.1.1). */
  #setMutedState(newState: boolean): void {
    // 2.
    if (this.#muted === newState) return;
    // 3.
    this.#muted = newState;
    for (const o of [...this.#observers]) o.mutedChanged?.(newState);
    // 4.–5.
    this.dispatchEvent(new Event(newState ? 'mute' : 'unmute'));
  }

  /** The task queued when a track ends for a reason other than stop() (§4.3.1.2). */
  #endedBySource(): void {
    // 1.
    if (this.#readyState === 'ended') return;
    // 2.
    this.#readyState = 'ended';
    // 3.
    this.#binding.source.detach(this.#sourceObserver);
    this.#afterEnded();
    // 4.
    this.dispatchEvent(new Event('ended'));
  }

  #afterEnded(): void {
    this.#binding.trackEnded?.(this);
    for (const o of [...this.#observers]) o.ended?.();
  }

  static {
    trackInternals = {
      is: (value): value is MediaStreamTrack => typeof value === 'object' && value !== null && #binding in value,
      source: (track) => track.#binding.source,
      binding: (track) => track.#binding,
      settings: (track) => track.#settings,
      observe(track, observer) {
        track.#observers.add(observer);
        return () => track.#observers.delete(observer);
      },
      endTrack(track) {
        queueTask(() => track.#endedBySource());
      },
    };
  }
}


for (const type of ['mute', 'unmute', 'ended']) {
  defineEventHandler(MediaStreamTrack.prototype, type, 'MediaStreamTrack', isMediaStreamTrack);
}
exposeInterface(MediaStreamTrack);

/** Brand check usable from other modules. */
export function isMediaStreamTrack(value: unknown): value is MediaStreamTrack {
  return trackInternals.is(value);
}

function structuredCloneConstraints(constraints: unknown): unknown {
  return constraints === undefined ? {} : structuredClone(constraints);
}
