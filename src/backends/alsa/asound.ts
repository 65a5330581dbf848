/**
 * ALSA's sound cards and capture PCMs, as the kernel lists them in `/proc/asound/cards` and
 * `/proc/asound/pcm`, and what `arecord --dump-hw-params` says a PCM can do. Pure: text in,
 * records out (fixtures in test/alsa/fixtures/).
 *
 * `/proc/asound/cards`, two lines per card (the second is the long name):
 *
 *      0 [PCH            ]: HDA-Intel - HDA Intel PCH
 *                           HDA Intel PCH at 0xb1310000 irq 141
 *
 * `/proc/asound/pcm`, one line per PCM device, "CC-DD: id : name : subdevices…", where the
 * subdevice fields are "playback N" and/or "capture N":
 *
 *     00-00: ALC257 Analog : ALC257 Analog : playback 1 : capture 1
 */
import type { AudioMode, DeviceDescriptor } from '../../media/modes.js';

/** One sound card of /proc/asound/cards. */
export interface AsoundCard {
  readonly index: number;
  /** The card's id, e.g. "PCH", "C920": stable across reboots, usable as `hw:CARD=PCH`. */
  readonly id: string;
  /** The driver, e.g. "HDA-Intel", "USB-Audio". */
  readonly driver: string;
  /** The short name, e.g. "HDA Intel PCH", "HD Pro Webcam C920". */
  readonly name: string;
  readonly longName: string;
}

/** One PCM device of /proc/asound/pcm. */
export interface AsoundPcm {
  readonly card: number;
  readonly device: number;
  readonly id: string;
  readonly name: string;
  readonly playback: number;
  readonly capture: number;
}

/** Parses /proc/asound/cards ("--- no soundcards ---" gives none). */
export function parseAsoundCards(text: string): AsoundCard[] {
  const out: AsoundCard[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(\d+) \[(.+?)\s*\]: (\S+) - (.*)$/.exec(lines[i]!);
    if (!m) continue;
    const next = lines[i + 1];
    const longName = next !== undefined && /^\s{2,}\S/.test(next) && !/^\s*\d+ \[/.test(next) ? next.trim() : m[4]!.trim();
    out.push({ index: Number(m[1]), id: m[2]!, driver: m[3]!, name: m[4]!.trim(), longName });
  }
  return out;
}

/** Parses /proc/asound/pcm. */
export function parseAsoundPcm(text: string): AsoundPcm[] {
  const out: AsoundPcm[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+)-(\d+): (.*)$/.exec(line.trim());
    if (!m) continue;
    const fields = m[3]!.split(' : ').map((f) => f.trim());
    const count = (what: string) => Number(/^\S+ (\d+)$/.exec(fields.find((f) => f.startsWith(`${what} `)) ?? '')?.[1] ?? 0);
    out.push({ card: Number(m[1]), device: Number(m[2]), id: fields[0] ?? '', name: fields[1] ?? '', playback: count('playback'), capture: count('capture') });
  }
  return out;
}

/** A parameter range of --dump-hw-params: "[8000 192000]", "(0 4294967295]", or one value. */
export interface HwRange {
  readonly min: number;
  readonly max: number;
}

/** What `arecord --dump-hw-params` prints about a PCM, the parts a capture mode needs. */
export interface HwParams {
  readonly formats: readonly string[];
  readonly channels: HwRange;
  readonly rate: HwRange;
}

/**
 * Parses the "HW Params of device …" block that `arecord --dump-hw-params` writes to stderr:
 *
 *     FORMAT:  S16_LE S32_LE
 *     CHANNELS: 2
 *     RATE: [44100 48000]
 *
 * Undefined when the block is missing (the device could not be opened).
 */
export function parseHwParams(text: string): HwParams | undefined {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+):\s+(.*)$/.exec(line.trim());
    if (m) fields.set(m[1]!, m[2]!.trim());
  }
  const range = (value: string | undefined): HwRange | undefined => {
    if (value === undefined) return undefined;
    const m = /^([[(])(\d+) (\d+)([\])])$/.exec(value);
    // "(a b]" excludes a: with integers, the least value is a + 1.
    if (m) return { min: Number(m[2]) + (m[1] === '(' ? 1 : 0), max: Number(m[3]) - (m[4] === ')' ? 1 : 0) };
    return /^\d+$/.test(value) ? { min: Number(value), max: Number(value) } : undefined;
  };
  const channels = range(fields.get('CHANNELS'));
  const rate = range(fields.get('RATE'));
  const formats = fields.get('FORMAT')?.split(/\s+/);
  if (!channels || !rate || !formats) return undefined;
  return { formats, channels, rate };
}

/** The capture latency asked of arecord (its --buffer-time is 4 periods of this), in seconds. */
export const PERIOD_SECONDS = 0.01;

/** The rates a capture is offered at, best first, when a device's own range allows them. */
const PREFERRED_RATES = [48000, 44100, 32000, 16000, 8000];

/**
 * The native modes of a PCM with these hardware parameters: S16_LE (arecord's capture format),
 * at each preferred rate in range (else the range's ends), with 2 channels where possible, else
 * the device's channel count. Without parameters (not probed), 48 kHz stereo: a `plughw:` PCM
 * converts from whatever the hardware does.
 */
export function audioModesOf(params: HwParams | undefined): AudioMode[] {
  const latency = PERIOD_SECONDS;
  if (!params) return [{ sampleRate: 48000, channelCount: 2, sampleSize: 16, latency }];
  const { rate, channels } = params;
  let rates = PREFERRED_RATES.filter((r) => r >= rate.min && r <= rate.max);
  if (rates.length === 0) rates = [...new Set([rate.max, rate.min])];
  const channelCount = channels.min <= 2 && channels.max >= 2 ? 2 : channels.min;
  return rates.map((sampleRate) => ({ sampleRate, channelCount, sampleSize: 16, latency }));
}

/** What the provider read about the machine's sound cards. */
export interface AlsaInventory {
  readonly cards: readonly AsoundCard[];
  readonly pcms: readonly AsoundPcm[];
  /** Each card's group key (see common/sysfs.ts `soundCardGroups`), by card index. */
  readonly groups: ReadonlyMap<number, string>;
  /** Hardware parameters of the PCMs that were probed, by "card,device". */
  readonly hwParams?: ReadonlyMap<string, HwParams>;
}

/**
 * The capture PCMs as audioinput devices. rawId is the `plughw:` PCM by card id
 * ("plughw:CARD=C920,DEV=0": stable when cards are renumbered; plughw converts rate, channels
 * and format). The label is "card name: PCM name"; the first capture PCM is the default, as
 * ALSA's "default" PCM is card 0's device 0.
 */
export function alsaDevices(inventory: AlsaInventory): DeviceDescriptor[] {
  const cards = new Map(inventory.cards.map((c) => [c.index, c]));
  const capture = inventory.pcms.filter((p) => p.capture > 0).sort((a, b) => a.card - b.card || a.device - b.device);
  return capture.map((pcm, i): DeviceDescriptor => {
    const card = cards.get(pcm.card);
    const cardRef = card ? card.id : String(pcm.card);
    return {
      rawId: `plughw:CARD=${cardRef},DEV=${pcm.device}`,
      kind: 'audioinput',
      label: `${card?.name ?? `Card ${pcm.card}`}: ${pcm.name || pcm.id}`,
      groupKey: inventory.groups.get(pcm.card) ?? `alsa-card:${pcm.card}`,
      audioModes: audioModesOf(inventory.hwParams?.get(`${pcm.card},${pcm.device}`)),
      echoCancellation: [false],
      autoGainControl: [false],
      noiseSuppression: [false],
      ...(i === 0 ? { isDefault: true } : {}),
    };
  });
}
