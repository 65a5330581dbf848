/**
 * ALSA where no sound server runs, for `auto` (select.ts): "ALSA is the fallback where no server
 * runs" (issue 5). With a PulseAudio or PipeWire server, the server holds the cards (capturing a
 * `hw:` device beside it fails with "Device or resource busy") and lists them itself, so the ALSA
 * devices show only while no server answers; whether one answers is asked at each enumeration
 * (`pactl info`), and only when the kernel lists a sound card.
 */
import { readFileSync } from 'node:fs';
import type { DeviceDescriptor } from '../../media/modes.js';
import type { Source } from '../../media/source.js';
import type { DeviceProvider, OpenRequest } from '../provider.js';
import { parseAsoundCards } from './asound.js';
import { AlsaProvider } from './provider.js';

/** Whether the kernel lists an ALSA sound card (synchronous, for backend selection). */
export function hasSoundCards(asoundRoot = '/proc/asound'): boolean {
  try {
    return parseAsoundCards(readFileSync(`${asoundRoot}/cards`, 'utf8')).length > 0;
  } catch {
    return false;
  }
}

/** The ALSA devices while `serverAnswers()` is false; none while a sound server answers. */
export class AlsaWithoutServer implements DeviceProvider {
  readonly name = 'alsa';
  readonly alsa: AlsaProvider;
  readonly #serverAnswers: () => Promise<boolean>;

  constructor(alsa: AlsaProvider, serverAnswers: () => Promise<boolean>) {
    this.alsa = alsa;
    this.#serverAnswers = serverAnswers;
  }

  async enumerate(): Promise<readonly DeviceDescriptor[]> {
    const devices = await this.alsa.enumerate();
    if (devices.length === 0) return devices;
    return (await this.#serverAnswers()) ? [] : devices;
  }

  /** ALSA's own changes; a server starting or stopping is seen at the next enumeration. */
  watch(listener: () => void): () => void {
    return this.alsa.watch(listener);
  }

  open(device: DeviceDescriptor, request: OpenRequest): Promise<Source> {
    return this.alsa.open(device, request);
  }

  close(): void {
    this.alsa.close();
  }
}
