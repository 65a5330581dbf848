/**
 * `AudioData` (WebCodecs § 9.2, https://w3c.github.io/webcodecs/#audiodata-interface):
 * unencoded audio samples with a format, a rate, a timestamp, and a reference to a shared media
 * resource (§ 9.1). Clones share the resource; `close()` drops this object's reference.
 */
import { illegalInvocation, invalidState } from '../platform/errors.js';
import { exposeInterface, idlLength } from '../platform/interface.js';
import { toBufferSourceBytes } from '../webidl/buffer-source.js';
import { converters } from '../webidl/index.js';
import {
  checkValidAudioDataInit,
  computeCopyElementCount,
  copyAudioPlane,
  toAudioDataInit,
  type AudioDataCopyToOptions,
  type AudioDataInit,
} from './audio-data-init.js';
import { bytesPerSample, type AudioSampleFormat } from './audio-sample-format.js';
import { arrayBufferOf, checkTransferList, detachArrayBuffer } from './buffers.js';
import { MediaResource } from './media-resource.js';
import { audioDataSlots, type AudioDataSlots } from './slots.js';

export type { AudioDataInit, AudioDataCopyToOptions } from './audio-data-init.js';
export type { AudioSampleFormat } from './audio-sample-format.js';

/** Passed instead of an init by package-internal construction (see slots.ts). */
const CONSTRUCT = Symbol('AudioData.construct');

/** `AllowSharedBufferSource` as TypeScript sees it. */
type AllowSharedBufferSource = ArrayBuffer | SharedArrayBuffer | ArrayBufferView;

/** Unencoded audio: `numberOfFrames` frames of `numberOfChannels` channels in `format`. */
export class AudioData {
  #detached = false;
  #resourceReference: MediaResource | null;
  #format: AudioSampleFormat | null;
  #sampleRate: number;
  #numberOfFrames: number;
  #numberOfChannels: number;
  #timestamp: number;

  static {
    audioDataSlots.create = (slots) => new (AudioData as unknown as new (token: symbol, slots: AudioDataSlots) => AudioData)(CONSTRUCT, slots);
    audioDataSlots.read = (data) => {
      if (data.#detached) return null;
      return {
        resourceReference: data.#resourceReference!,
        format: data.#format!,
        sampleRate: data.#sampleRate,
        numberOfFrames: data.#numberOfFrames,
        numberOfChannels: data.#numberOfChannels,
        timestamp: data.#timestamp,
      };
    };
  }

  /** AudioData(init): copies `init.data`, or takes it over without a copy when its buffer is in `init.transfer`. */
  constructor(init: AudioDataInit);
  constructor(init: AudioDataInit | typeof CONSTRUCT, internalSlots?: AudioDataSlots) {
    if (init === CONSTRUCT) {
      const s = internalSlots!;
      this.#resourceReference = s.resourceReference;
      this.#format = s.format;
      this.#sampleRate = s.sampleRate;
      this.#numberOfFrames = s.numberOfFrames;
      this.#numberOfChannels = s.numberOfChannels;
      this.#timestamp = s.timestamp;
      return;
    }
    if (arguments.length < 1) throw new TypeError("Failed to construct 'AudioData': 1 argument required, but only 0 present.");
    const converted = toAudioDataInit(init, "Failed to construct 'AudioData': init");
    // 1. If init is not a valid AudioDataInit, throw a TypeError.
    checkValidAudioDataInit(converted);
    // 2.-3. Transfer list: no duplicates, nothing detached (DataCloneError).
    checkTransferList(converted.transfer);
    // 4.1.-4.6. (the slots)
    this.#format = converted.format;
    this.#sampleRate = converted.sampleRate;
    this.#numberOfFrames = converted.numberOfFrames;
    this.#numberOfChannels = converted.numberOfChannels;
    this.#timestamp = converted.timestamp;
    const totalSize = converted.numberOfFrames * converted.numberOfChannels * bytesPerSample(converted.format);
    const dataBuffer = arrayBufferOf(converted.dataSource);
    // 4.7. If init.transfer contains the ArrayBuffer of init.data, reference its sample data: no copy
    // (unless its offset is not aligned to the sample size, which typed-array views need).
    const reference = dataBuffer !== undefined && converted.transfer.includes(dataBuffer) && converted.data.byteOffset % bytesPerSample(converted.format) === 0;
    let bytes: Uint8Array;
    if (reference) {
      const byteOffset = converted.data.byteOffset; // (the view reads as empty once its buffer is detached)
      bytes = new Uint8Array(detachArrayBuffer(dataBuffer), byteOffset, totalSize);
    } else {
      // 4.8. Otherwise, a media resource containing a copy of init.data.
      bytes = converted.data.slice(0, totalSize);
    }
    // 4.9.-4.10.
    this.#resourceReference = new MediaResource(bytes).addReference();
    // 5. Detach every ArrayBuffer in init.transfer.
    for (const buffer of converted.transfer) if (!(reference && buffer === dataBuffer)) detachArrayBuffer(buffer);
  }

  /** The sample format; null once closed. */
  get format(): AudioSampleFormat | null {
    if (!(#detached in this)) throw illegalInvocation('AudioData', 'format');
    return this.#format;
  }

  /** Sample-frames per second. */
  get sampleRate(): number {
    if (!(#detached in this)) throw illegalInvocation('AudioData', 'sampleRate');
    return this.#sampleRate;
  }

  get numberOfFrames(): number {
    if (!(#detached in this)) throw illegalInvocation('AudioData', 'numberOfFrames');
    return this.#numberOfFrames;
  }

  get numberOfChannels(): number {
    if (!(#detached in this)) throw illegalInvocation('AudioData', 'numberOfChannels');
    return this.#numberOfChannels;
  }

  /** Microseconds: numberOfFrames / sampleRate × 1,000,000, truncated to an integer (0 once closed). */
  get duration(): number {
    if (!(#detached in this)) throw illegalInvocation('AudioData', 'duration');
    // 1.-3.
    if (this.#sampleRate === 0) return 0;
    return Math.trunc((this.#numberOfFrames / this.#sampleRate) * 1_000_000);
  }

  /** Presentation timestamp in microseconds. */
  get timestamp(): number {
    if (!(#detached in this)) throw illegalInvocation('AudioData', 'timestamp');
    return this.#timestamp;
  }

  /** Bytes `copyTo()` needs for `options`. */
  allocationSize(options: AudioDataCopyToOptions): number {
    if (!(#detached in this)) throw illegalInvocation('AudioData', 'allocationSize');
    const converted = converters.AudioDataCopyToOptions(options, "Failed to execute 'allocationSize' on 'AudioData': options");
    // 1. If [[Detached]] is true, throw an InvalidStateError DOMException.
    if (this.#detached) throw invalidState('AudioData.allocationSize: the AudioData is closed.');
    // 2. Let copyElementCount be the result of running the Compute Copy Element Count algorithm with options.
    // 3.-4. destFormat is [[format]], or options.format.
    const [copyElementCount, , destFormat] = computeCopyElementCount(this.#shape(), converted);
    // 5.-6. bytesPerSample × copyElementCount.
    return bytesPerSample(destFormat) * copyElementCount;
  }

  /** Copies the samples of one plane (converted to `options.format` if given) into `destination`. */
  copyTo(destination: AllowSharedBufferSource, options: AudioDataCopyToOptions): void {
    if (!(#detached in this)) throw illegalInvocation('AudioData', 'copyTo');
    const context = "Failed to execute 'copyTo' on 'AudioData'";
    const dest = toBufferSourceBytes(destination, `${context}: destination`, true);
    const converted = converters.AudioDataCopyToOptions(options, `${context}: options`);
    // 1. If [[Detached]] is true, throw an InvalidStateError DOMException.
    if (this.#detached) throw invalidState('AudioData.copyTo: the AudioData is closed.');
    // 2.-4.
    const [copyElementCount, copyFrameCount, destFormat] = computeCopyElementCount(this.#shape(), converted);
    // 5.-6. If bytesPerSample × copyElementCount is greater than destination.byteLength, throw a RangeError.
    const size = bytesPerSample(destFormat) * copyElementCount;
    if (size > dest.byteLength) {
      throw new RangeError(`AudioData.copyTo: destination has ${dest.byteLength} bytes but the copy needs ${size}; use allocationSize().`);
    }
    // 7.-9. Copy the frames of the plane, converting to destFormat if it differs.
    copyAudioPlane(this.#resourceReference!.data, this.#shape(), dest, destFormat, converted.planeIndex, converted.frameOffset, copyFrameCount);
  }

  /** A new AudioData with a new reference to the same media resource. */
  clone(): AudioData {
    if (!(#detached in this)) throw illegalInvocation('AudioData', 'clone');
    // 1. If [[Detached]] is true, throw an InvalidStateError DOMException.
    if (this.#detached) throw invalidState('AudioData.clone: the AudioData is closed.');
    // 2. Return the result of running the Clone AudioData algorithm with this.
    return audioDataSlots.create({ ...audioDataSlots.read(this)!, resourceReference: this.#resourceReference!.addReference() });
  }

  /** Close AudioData: drops the reference to the media resource; final. */
  close(): void {
    if (!(#detached in this)) throw illegalInvocation('AudioData', 'close');
    // 1. Assign true to [[Detached]].
    if (!this.#detached) this.#resourceReference?.dropReference();
    this.#detached = true;
    // 2.-6.
    this.#resourceReference = null;
    this.#sampleRate = 0;
    this.#numberOfFrames = 0;
    this.#numberOfChannels = 0;
    this.#format = null;
  }

  #shape() {
    return { format: this.#format!, numberOfFrames: this.#numberOfFrames, numberOfChannels: this.#numberOfChannels };
  }
}
exposeInterface(AudioData);
// constructor(AudioDataInit init); the second argument is internal.
idlLength(AudioData, 1);
