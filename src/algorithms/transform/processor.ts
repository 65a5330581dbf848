/**
 * MediaStreamTrackProcessor's algorithms (https://w3c.github.io/mediacapture-transform/ §2.1:
 * the constructor steps, processorPull, maybeReadFrame, processorCancel, processorClose and
 * handleNewFrame). The 2021 draft Chrome ships (mediacapture-transform-2021-mstg.md §2.1) has the
 * same algorithms, and adds audio: an audio track's chunks are AudioData.
 *
 * The processor is a sink of its track through `attachSink`, so it sees what any consumer sees:
 * the track's crop-and-scale and frame rate, black frames or silence while disabled, nothing while
 * muted. It connects when `readable` is first read (nothing is produced for a processor whose
 * stream nobody has asked for) and disconnects on cancel or when the track ends.
 */
import type { Media } from '../../media/route.js';
import { queueTask } from '../../platform/tasks.js';
import { attachSink } from '../track/sink.js';
import type { Track } from '../track/track.js';
import type { ProcessorInit } from './dictionaries.js';

/**
 * The queue size of an audio processor when script gives none. The current draft (video only)
 * says 1; for audio, which comes in 10 ms chunks, that loses audio at the first hiccup, so audio
 * keeps 100 ms, as the 2021 draft lets the UA decide ("the UA is free to decide the maximum size").
 */
export const DEFAULT_AUDIO_BUFFER_SIZE = 10;

/**
 * [[queue]]: a first-in first-out list that allocates nothing once it has held its largest
 * length. An array's `push` after `shift` emptied it allocates a new backing store (~140 bytes in
 * V8), once per frame and processor; a read of ten clones made ten of them per frame, garbage
 * whose scavenges were most of what a clone cost (bench/clones.mjs).
 */
class MediaQueue {
  #items: (Media | undefined)[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(media: Media): void {
    this.#items.push(media);
  }

  /** The oldest item; the queue must not be empty. */
  shift(): Media {
    const items = this.#items;
    const media = items[this.#head]!;
    items[this.#head++] = undefined;
    // Emptied: start over at index 0 (keeping the backing store: `length = 0` would free it).
    if (this.#head === items.length) {
      this.#head = 0;
      for (;;) {
        items.pop();
        if (items.length === 0) break;
      }
    } else if (this.#head >= 64 && 2 * this.#head >= items.length) {
      // A queue that is never emptied (a reader always behind a large maxBufferSize) would grow
      // for ever: drop the spent slots now and then.
      items.copyWithin(0, this.#head);
      items.length -= this.#head;
      this.#head = 0;
    }
    return media;
  }
}

/** The internal slots and algorithms of one MediaStreamTrackProcessor. */
export class TrackProcessor {
  /** [[track]] */
  readonly #track: Track;
  /** [[maxBufferSize]] */
  readonly #maxBufferSize: number;
  /** [[queue]] */
  readonly #queue = new MediaQueue();
  /** [[numPendingReads]] */
  #numPendingReads = 0;
  /** [[isClosed]] */
  #isClosed = false;
  #readable: ReadableStream | undefined;
  #controller: ReadableStreamDefaultController | undefined;
  #disconnect: (() => void) | undefined;
  #maybeReadQueued = false;
  /** Frames the track handed to the processor, and those its full queue dropped (see {@link totalFrames}). */
  #totalFrames = 0;
  #discardedFrames = 0;

  /** The constructor steps (§2.1.3). Throws a TypeError for a track that is not live. */
  constructor(init: ProcessorInit) {
    // 1. If init.track is not a valid MediaStreamTrack, throw a TypeError. (An ended track can
    //    deliver nothing: not valid, as in Chrome.)
    if (init.track.readyState !== 'live') {
      throw new TypeError("Failed to construct 'MediaStreamTrackProcessor': the track has ended; a processor needs a live track.");
    }
    // 2. Let maxBufferSize be 1 (the UA's choice for audio: see DEFAULT_AUDIO_BUFFER_SIZE).
    let maxBufferSize = init.track.kind === 'audio' && init.maxBufferSize === undefined ? DEFAULT_AUDIO_BUFFER_SIZE : 1;
    // 3. If init.maxBufferSize has an integer value greater than 1, set maxBufferSize to it. (3.2:
    //    the UA may clamp it; we do not: the queue holds references to pooled frames, not copies.)
    if (init.maxBufferSize !== undefined && init.maxBufferSize > 1) maxBufferSize = init.maxBufferSize;
    // 4.–9.
    this.#track = init.track;
    this.#maxBufferSize = maxBufferSize;
  }

  /** [[maxBufferSize]], for tests and diagnostics. */
  get maxBufferSize(): number {
    return this.#maxBufferSize;
  }

  /**
   * The frames the track delivered to the processor (https://w3c.github.io/mediacapture-transform/#dom-mediastreamtrackprocessor-totalframes,
   * added to the draft after the copy in the project's spec folder): with {@link discardedFrames}, how
   * many a reader that falls behind lost.
   */
  get totalFrames(): number {
    return this.#totalFrames;
  }

  /** The frames dropped from the full queue, unread (handleNewFrame step 1). */
  get discardedFrames(): number {
    return this.#discardedFrames;
  }

  /** The `readable` attribute: created the first time it is read (§2.1.4). */
  get readable(): ReadableStream {
    if (this.#readable === undefined) {
      // 1. Initialize this.readable to be a new ReadableStream.
      // 2. Set it up with pullAlgorithm processorPull, cancelAlgorithm processorCancel, and highWatermark 0.
      this.#readable = new ReadableStream(
        {
          start: (controller) => {
            this.#controller = controller;
          },
          pull: () => {
            this.#processorPull();
          },
          cancel: () => this.#processorCancel(),
        },
        { highWaterMark: 0 },
      );
      // The processor becomes a sink of [[track]] (§2.1.5); its end closes the processor.
      this.#disconnect = attachSink(this.#track, {
        media: (frame) => this.#handleNewFrame(frame),
        ended: () => this.#processorClose(),
      });
    }
    return this.#readable;
  }

  /**
   * processorPull. Step 3's promise is left to the stream: a pull that returns undefined gives
   * "a promise resolved with undefined" (WebIDL's conversion of the underlying source's result).
   * Returning a promise instead, even one made once, costs more per read in Node, whose stream
   * calls pull through an async function that must then adopt the promise (a job, two
   * reactions).
   */
  #processorPull(): void {
    // 1. Increment the value of processor.[[numPendingReads]] by 1.
    this.#numPendingReads++;
    // 2. Queue a task to run the maybeReadFrame algorithm with processor as parameter. (With the
    //    queue empty that task would do nothing; the next handleNewFrame queues one anyway.)
    if (this.#queue.length > 0) this.#queueMaybeReadFrame();
    // 3. Return a promise resolved with undefined (the stream makes it: see above).
  }

  /**
   * "Queue a task to run maybeReadFrame". One task serves every request made before it runs,
   * since maybeReadFrame loops until the queue or the pending reads run out; and one task serves
   * every processor that needs one (ten processors of one camera get each frame in the same turn),
   * running them in the order they asked. Each task is an event-loop turn, the main cost of a
   * processor at 30 frames per second.
   */
  #queueMaybeReadFrame(): void {
    if (this.#maybeReadQueued) return;
    this.#maybeReadQueued = true;
    if (TrackProcessor.#waitingCount === 0) queueTask(TrackProcessor.#runWaiting);
    TrackProcessor.#waiting[TrackProcessor.#waitingCount++] = this;
  }

  /**
   * The processors waiting for the task, in the order they asked: the first #waitingCount slots
   * (the rest are undefined). Two lists swapped by each task, never shortened, so that a frame
   * allocates no list (an array's backing store is freed when it is emptied, and made anew).
   */
  static #waiting: (TrackProcessor | undefined)[] = [];
  static #waitingCount = 0;
  static #running: (TrackProcessor | undefined)[] = [];

  static #runWaiting = (): void => {
    const running = TrackProcessor.#waiting;
    const count = TrackProcessor.#waitingCount;
    TrackProcessor.#waiting = TrackProcessor.#running;
    TrackProcessor.#waitingCount = 0;
    TrackProcessor.#running = running;
    for (let i = 0; i < count; i++) {
      const processor = running[i]!;
      running[i] = undefined;
      processor.#maybeReadQueued = false;
      processor.#maybeReadFrame();
    }
  };

  /** maybeReadFrame */
  #maybeReadFrame(): void {
    for (;;) {
      // 1. If processor.[[queue]] is empty, abort these steps.
      if (this.#queue.length === 0) return;
      // 2. If processor.[[numPendingReads]] equals zero, abort these steps.
      if (this.#numPendingReads === 0) return;
      // 3. Let frame be the result of dequeueing a frame media data from processor.[[queue]].
      const frame = this.#queue.shift();
      // 4. Enqueue frame in processor.readable.
      this.#controller!.enqueue(frame);
      // 5. Decrement processor.[[numPendingReads]] by 1.
      this.#numPendingReads--;
      // 6. Go to step 1.
    }
  }

  /** processorCancel */
  #processorCancel(): Promise<void> {
    // 1. Run the processorClose algorithm with processor as parameter.
    this.#processorClose();
    // 2. Return a promise resolved with undefined.
    return Promise.resolve();
  }

  /** processorClose: also run when [[track]] ends (§2.1.5). */
  #processorClose(): void {
    // 1. If processor.[[isClosed]] is true, abort these steps.
    if (this.#isClosed) return;
    // 2. Disconnect processor from processor.[[track]].
    this.#disconnect?.();
    this.#disconnect = undefined;
    // 3. Close processor.readable.[[controller]]. (A cancelled stream is closed already.)
    try {
      this.#controller?.close();
    } catch {
      // The stream was cancelled: nothing to close.
    }
    // 4. Empty processor.[[queue]], closing the frames: nothing else will ever read them.
    while (this.#queue.length > 0) this.#queue.shift().close();
    // 5. Set processor.[[isClosed]] to true.
    this.#isClosed = true;
  }

  /** handleNewFrame: the track delivered `frame` (ours to close). */
  #handleNewFrame(frame: Media): void {
    if (this.#isClosed) {
      frame.close();
      return;
    }
    this.#totalFrames++;
    // 1. If processor.[[queue]] has processor.[[maxBufferSize]] elements:
    if (this.#queue.length >= this.#maxBufferSize) {
      // 1.1. Let droppedFrame be the result of dequeueing processor.[[queue]].
      const droppedFrame = this.#queue.shift();
      // 1.2. Run the Close VideoFrame algorithm with droppedFrame.
      droppedFrame.close();
      this.#discardedFrames++;
    }
    // 2. Enqueue the new frame media data in processor.[[queue]].
    this.#queue.push(frame);
    // 3. Queue a task to run the maybeReadFrame algorithm with processor as parameter.
    this.#queueMaybeReadFrame();
  }
}

