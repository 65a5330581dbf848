import type { AudioData } from '../../webcodecs/audio-data.js';
import { audioDataChannels, audioDataFromChannels } from '../../webcodecs/internal.js';
import { mixChannels } from '../convert/audio.js';
import { Resampler } from '../convert/resample.js';
import type { AudioTarget } from '../route.js';

/**
 * Makes a source's audio fit a track's settings: channel up- or down-mixing (Web Audio's speaker
 * rules) and resampling, keeping the resampler's state across chunks so there are no clicks at
 * chunk boundaries. Audio that already fits is passed on by reference.
 */
export class AudioAdapter {
  readonly target: AudioTarget;
  #resampler: Resampler | undefined;
  /** Timestamp of the first output sample of the stream, and output samples made since. */
  #origin: number | undefined;
  #produced = 0;

  constructor(target: AudioTarget) {
    this.target = target;
  }

  process(audio: AudioData): AudioData | null {
    const { sampleRate, channelCount } = this.target;
    const sameRate = audio.sampleRate === sampleRate;
    if (sameRate && audio.numberOfChannels === channelCount && audio.format === 'f32-planar') return audio.clone();
    let channels = audioDataChannels(audio);
    // Down-mix before resampling (fewer channels to filter), up-mix after.
    if (channelCount < channels.length) channels = mixChannels(channels, channelCount);
    if (!sameRate) {
      if (!this.#resampler || this.#resampler.inputRate !== audio.sampleRate || this.#resampler.channels !== channels.length) {
        this.#resampler = new Resampler(audio.sampleRate, sampleRate, channels.length);
        this.#origin = undefined;
      }
      if (this.#origin === undefined) {
        this.#origin = audio.timestamp;
        this.#produced = 0;
      }
      channels = this.#resampler.process(channels);
    }
    if (channelCount > channels.length) channels = mixChannels(channels, channelCount);
    const frames = channels[0]?.length ?? 0;
    if (frames === 0) return null;
    const timestamp = sameRate ? audio.timestamp : this.#origin! + Math.round((this.#produced * 1e6) / sampleRate);
    this.#produced += frames;
    return audioDataFromChannels(channels, sampleRate, timestamp);
  }
}
