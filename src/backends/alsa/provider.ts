/**
 * The ALSA backend, for machines where no sound server runs: the capture PCMs the kernel lists
 * in /proc/asound, captured with `arecord`. Group keys come from each card's sysfs device
 * (/sys/class/sound/cardN/device), the same keys V4L2 gives cameras, so a webcam's microphone
 * shares its camera's groupId.
 *
 * Modes: `plughw:` converts from the hardware's format, so each device offers 48 kHz stereo
 * 16-bit (see asound.ts `audioModesOf`); `arecord --dump-hw-params` is parsed (parseHwParams)
 * but not run at enumeration, since it opens the device and records from it.
 *
 * Hot-plug: /proc/asound/pcm is read every `pollMs` while someone watches. Not here: audio
 * outputs (`aplay -l`), and ending a track when its card is unplugged before arecord notices (it
 * exits with an I/O error, which ends the source).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AudioMode, DeviceDescriptor } from '../../media/modes.js';
import type { Source } from '../../media/source.js';
import { notReadable } from '../../platform/errors.js';
import type { DeviceProvider, OpenRequest } from '../provider.js';
import { soundCardGroups } from '../common/sysfs.js';
import { alsaDevices, parseAsoundCards, parseAsoundPcm } from './asound.js';
import { AlsaSource, type AlsaSourceOptions } from './source.js';
import { OpenSources } from '../common/open-sources.js';
import { clearInterval, setInterval } from '../../platform/timers.js';

export interface AlsaProviderOptions {
  /** Where the kernel's ALSA files are. Default "/proc/asound". */
  readonly asoundRoot?: string;
  /** The sysfs root, for group keys. Default "/sys". */
  readonly sysRoot?: string;
  /** How often watch() rereads the PCM list, ms. Default 1000. */
  readonly pollMs?: number;
  /** Passed to each AlsaSource (program, clock). */
  readonly source?: AlsaSourceOptions;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

export class AlsaProvider implements DeviceProvider {
  readonly name = 'alsa';
  readonly #options: AlsaProviderOptions;
  readonly #sources = new OpenSources<AlsaSource>();
  readonly #unwatchers = new Set<() => void>();

  /** Whether the kernel has ALSA sound cards (/proc/asound/cards lists one). Never throws. */
  static async supports(asoundRoot = '/proc/asound'): Promise<boolean> {
    return parseAsoundCards(await readText(join(asoundRoot, 'cards'))).length > 0;
  }

  constructor(options: AlsaProviderOptions = {}) {
    this.#options = options;
  }

  async enumerate(): Promise<readonly DeviceDescriptor[]> {
    const root = this.#options.asoundRoot ?? '/proc/asound';
    const [cards, pcms, groups] = await Promise.all([readText(join(root, 'cards')), readText(join(root, 'pcm')), soundCardGroups(this.#options.sysRoot)]);
    return alsaDevices({ cards: parseAsoundCards(cards), pcms: parseAsoundPcm(pcms), groups });
  }

  watch(listener: () => void): () => void {
    const path = join(this.#options.asoundRoot ?? '/proc/asound', 'pcm');
    let last: string | undefined;
    let reading = false;
    const poll = async () => {
      if (reading) return;
      reading = true;
      const text = await readText(path);
      reading = false;
      if (last !== undefined && text !== last && this.#unwatchers.has(unwatch)) listener();
      last = text;
    };
    void poll();
    const timer = setInterval(() => void poll(), this.#options.pollMs ?? 1000);
    timer.unref();
    const unwatch = (): void => {
      clearInterval(timer);
      this.#unwatchers.delete(unwatch);
    };
    this.#unwatchers.add(unwatch);
    return unwatch;
  }

  async open(device: DeviceDescriptor, request: OpenRequest): Promise<Source> {
    if (device.kind !== 'audioinput') throw notReadable(`ALSA device "${device.rawId}" is a ${device.kind}; only audio inputs can be captured`);
    const mode = request.mode as AudioMode;
    if (typeof mode.sampleRate !== 'number' || typeof mode.channelCount !== 'number') {
      throw notReadable(`ALSA device "${device.rawId}" was asked for a mode that is not an audio mode`);
    }
    const source = await AlsaSource.open(device, mode, this.#options.source);
    this.#sources.add(source);
    return source;
  }

  /** The sources open now. */
  get openSources(): readonly AlsaSource[] {
    return this.#sources.list;
  }

  close(): void {
    for (const unwatch of [...this.#unwatchers]) unwatch();
  }
}
