/**
 * The generator algorithms: the `writable` set-up, writeFrame and closeWritable of
 * VideoTrackGenerator (https://w3c.github.io/mediacapture-transform/ §2.2.4) and of Chrome's
 * MediaStreamTrackGenerator (https://github.com/w3c/mediacapture-transform/blob/ad607fe57e01783ac202d4a38b4cfb45a93e36c3/index.bs §2.2.3),
 * VideoTrackGenerator's `muted`, and "when the last track ends, the writable is closed"
 * (§2.2.5.1 / §2.2.4.2). Both IDL classes keep one {@link TrackGenerator} in a private slot.
 */
import { GeneratorSource, type GeneratorStopReason } from '../../media/generator-source.js';
import type { MediaKind } from '../../media/modes.js';
import { invalidState } from '../../platform/errors.js';
import { queueTask } from '../../platform/tasks.js';
import { classifyAudioData, classifyVideoFrame, copyForeignAudioData, copyForeignVideoFrame, isDetached } from './frames.js';
import type { TrackInit } from '../track/track.js';
import { generatorTrackSource, initialGeneratorSettings, type GeneratorTrackSource } from './generator-track-source.js';

/** Which specification's writeFrame the generator follows. */
export type GeneratorFlavour = 'VideoTrackGenerator' | 'MediaStreamTrackGenerator';

/**
 * MediaStreamTrackGenerator's constructor steps 1–3 (mediacapture-transform-2021-mstg §2.2): a
 * generator of `kind`, which must be "audio" or "video" (a TypeError otherwise: the dictionary
 * member is a DOMString, not an enumeration, so this is the algorithm's check, not WebIDL's).
 */
export function generatorForKind(kind: string, context: string): TrackGenerator {
  // 1.
  if (kind !== 'audio' && kind !== 'video') throw new TypeError(`${context}: kind must be "audio" or "video", not "${kind}".`);
  // 2.–3.
  return new TrackGenerator(kind, 'MediaStreamTrackGenerator');
}

/** A generator: the source of its tracks and the underlying sink of its `writable`. */
export class TrackGenerator {
  readonly source: GeneratorSource;
  /** The [[Source]] of its tracks. */
  readonly trackSource: GeneratorTrackSource;
  readonly #flavour: GeneratorFlavour;
  #writable: WritableStream | undefined;
  #controller: WritableStreamDefaultController | undefined;
  /** [[isMuted]] (VideoTrackGenerator only). */
  #isMuted = false;
  #muteTaskQueued = false;
  /** Set when the last track ended: the writable is (or will be, once made) closed to writes. */
  #tracksGone = false;

  constructor(kind: MediaKind, flavour: GeneratorFlavour) {
    this.#flavour = flavour;
    this.source = new GeneratorSource(kind, { onStop: (reason) => this.#sourceStopped(reason) });
    this.trackSource = generatorTrackSource(this.source);
  }

  /** How to create a track sourced from this generator ("tieSourceToContext" false: no MediaDevices). */
  trackInit(): TrackInit {
    return { source: this.trackSource, settings: initialGeneratorSettings(this.source), constraints: {} };
  }

  /** The `writable` getter: made on first access, as the spec says. */
  get writable(): WritableStream {
    if (this.#writable === undefined) {
      // 1. Initialize this.writable to be a new WritableStream.
      // 2. Set up this.writable, with its writeAlgorithm set to writeFrame, with closeAlgorithm set
      //    to closeWritable and abortAlgorithm set to closeWritable (with this as parameter).
      this.#writable = new WritableStream({
        start: (controller) => {
          this.#controller = controller;
          if (this.#tracksGone) controller.error(tracksGoneError());
        },
        write: (frame) => (this.#flavour === 'VideoTrackGenerator' ? this.#writeFrameVTG(frame) : this.#writeFrameMSTG(frame)),
        close: () => this.#closeWritable(),
        abort: () => this.#closeWritable(),
      });
    }
    return this.#writable;
  }

  /** [[isMuted]]. */
  get muted(): boolean {
    return this.#isMuted;
  }

  /** The `muted` setter steps (mediacapture-transform §2.2.4). */
  setMuted(newValue: boolean): void {
    // 1. If newValue is equal to this.[[isMuted]], abort these steps.
    if (newValue === this.#isMuted) return;
    // 2. Set this.[[isMuted]] to newValue.
    this.#isMuted = newValue;
    // 3. Unless one has been queued already this run of the event loop, queue a task to run the following steps:
    if (this.#muteTaskQueued) return;
    this.#muteTaskQueued = true;
    queueTask(() => {
      this.#muteTaskQueued = false;
      // 3.1. Let settledValue be this.[[isMuted]].
      const settledValue = this.#isMuted;
      // 3.2. For each live track sourced by this, queue a task to set a track's muted state to
      //      settledValue. (Each live track queues that task when its source's state changes.)
      this.source.setMutedState(settledValue);
    });
  }

  /** writeFrame of VideoTrackGenerator (mediacapture-transform §2.2.4). */
  async #writeFrameVTG(chunk: unknown): Promise<void> {
    const frame = classifyVideoFrame(chunk);
    // 1. If frame is not a VideoFrame object, return a promise rejected with a TypeError.
    if (frame === null) throw new TypeError('VideoTrackGenerator: only VideoFrame objects can be written to its writable.');
    // 2. If the value of frame's [[Detached]] internal slot is true, return a promise rejected with a TypeError.
    if (isDetached(frame)) throw new TypeError('VideoTrackGenerator: the VideoFrame written is closed.');
    // 3. If generator.[[isMuted]] is false, for each live track sourced from generator: clone the
    //    frame and send the clone to the track (the source adapts it to each track's settings).
    if (!this.#isMuted) this.source.write('own' in frame ? frame.own.clone() : await copyForeignVideoFrame(frame.foreign));
    // 4. Run the Close VideoFrame algorithm with frame.
    ('own' in frame ? frame.own : frame.foreign).close();
    // 5. Return a promise resolved with undefined.
  }

  /** writeFrame of MediaStreamTrackGenerator (2021 draft §2.2.3). */
  async #writeFrameMSTG(chunk: unknown): Promise<void> {
    const video = this.source.kind === 'video';
    const media = video ? classifyVideoFrame(chunk) : classifyAudioData(chunk);
    // 1. If generator.kind equals video and frame is not a VideoFrame object, return a promise rejected with a TypeError.
    // 2. If generator.kind equals audio and frame is not an AudioData object, return a promise rejected with a TypeError.
    if (media === null) {
      throw new TypeError(`MediaStreamTrackGenerator: a ${video ? 'video' : 'audio'} generator's writable takes ${video ? 'VideoFrame' : 'AudioData'} objects.`);
    }
    // (A closed frame has no media data to send: TypeError, as VideoTrackGenerator's step 2 says.)
    if (isDetached(media)) throw new TypeError(`MediaStreamTrackGenerator: the ${video ? 'VideoFrame' : 'AudioData'} written is closed.`);
    // 3. Send the media data backing frame to all live tracks connected to generator.
    let own;
    if ('own' in media) own = media.own.clone();
    else own = video ? await copyForeignVideoFrame(media.foreign as never) : copyForeignAudioData(media.foreign as never);
    this.source.write(own);
    // 4. Invoke the close method of frame.
    ('own' in media ? media.own : media.foreign).close();
    // 5. Return a promise resolved with undefined.
  }

  /** closeWritable (both drafts). */
  #closeWritable(): Promise<void> {
    // 1. For each track t sourced from generator, end t. (Each queues its "ended" task.)
    this.source.close();
    // 2. Return a promise resolved with undefined.
    return Promise.resolve();
  }

  /**
   * The source stopped. When that was because its last track ended (stop(), or a clone's), "that
   * VideoTrackGenerator's writable is closed": further writes reject with InvalidStateError.
   */
  #sourceStopped(reason: GeneratorStopReason): void {
    if (reason !== 'stopped') return;
    this.#tracksGone = true;
    this.#controller?.error(tracksGoneError());
  }
}

function tracksGoneError(): DOMException {
  return invalidState("Every track of this generator has ended, so its writable stream is closed; create a new generator to write frames.");
}
