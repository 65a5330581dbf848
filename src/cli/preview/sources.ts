/**
 * What the preview page shows: every camera and microphone (getUserMedia, one track per device,
 * as a page that asks for each deviceId exactly) and the screen (getDisplayMedia, where a screen
 * backend is configured), each with its capabilities, constraints and settings, and for
 * microphones the peak level of the audio since the last look.
 *
 * A device that cannot be opened is still listed, with its error, so the page says why it shows
 * nothing instead of leaving it out.
 */
import { attachSink } from '../../algorithms/track/sink.js';
import type { MediaStreamTrack } from '../../interfaces/MediaStreamTrack.js';
import { trackOf } from '../../interfaces/MediaStreamTrack.js';
import type { AudioData } from '../../webcodecs/audio-data.js';
import { exposeDeviceInfo } from '../capture.js';
import type { CliScope } from '../scope.js';

/** What a source is, for the page: the kind of tile it gets. */
export type SourceKind = 'camera' | 'screen' | 'microphone';

/** An error as the page shows it: the DOMException's name, message and, for OverconstrainedError, its constraint. */
export interface ErrorJson {
  readonly name: string;
  readonly message: string;
  readonly constraint?: string;
}

/** One source as `GET /sources` and the page's events describe it. */
export interface SourceJson {
  /** The source's id in the page's URLs: "s0", "s1", … */
  readonly id: string;
  readonly kind: SourceKind;
  readonly label: string;
  /** The device's id (empty for the screen). */
  readonly deviceId: string;
  /** The track's readyState and muted, or null when the device could not be opened. */
  readonly state: { readonly readyState: string; readonly muted: boolean } | null;
  readonly capabilities: Record<string, unknown>;
  readonly constraints: Record<string, unknown>;
  readonly settings: Record<string, unknown>;
  /** Why the device shows nothing: getUserMedia's or getDisplayMedia's rejection. */
  readonly error?: ErrorJson;
}

/** The page's view of an error thrown by getUserMedia or applyConstraints. */
export function errorJson(e: unknown): ErrorJson {
  const error = e as { name?: unknown; message?: unknown; constraint?: unknown } | null;
  const name = typeof error?.name === 'string' ? error.name : 'Error';
  const message = typeof error?.message === 'string' ? error.message : String(e);
  return typeof error?.constraint === 'string' ? { name, message, constraint: error.constraint } : { name, message };
}

/** A camera, screen or microphone of the preview, with its track once opened. */
export class PreviewSource {
  readonly id: string;
  readonly kind: SourceKind;
  readonly deviceId: string;
  readonly #label: string;
  readonly track: MediaStreamTrack | null;
  readonly #error: ErrorJson | undefined;
  #peak = 0;
  #detach: (() => void) | null = null;

  constructor(id: string, kind: SourceKind, deviceId: string, label: string, opened: MediaStreamTrack | { error: unknown }) {
    this.id = id;
    this.kind = kind;
    this.deviceId = deviceId;
    this.#label = label;
    if ('error' in opened) {
      this.track = null;
      this.#error = errorJson(opened.error);
    } else {
      this.track = opened;
      this.#error = undefined;
      // The level meter: one more consumer of the microphone's audio, which keeps its peak.
      if (kind === 'microphone') this.#detach = attachSink(trackOf(opened)!, { media: (media) => this.#measure(media as AudioData) });
    }
  }

  #measure(audio: AudioData): void {
    try {
      const samples = new Float32Array(audio.numberOfFrames);
      for (let c = 0; c < audio.numberOfChannels; c++) {
        audio.copyTo(samples, { planeIndex: c, format: 'f32-planar' });
        for (const v of samples) if (Math.abs(v) > this.#peak) this.#peak = Math.abs(v);
      }
    } finally {
      audio.close();
    }
  }

  /** The peak amplitude (0..1) since the last call; the next starts from silence. */
  takePeak(): number {
    const peak = this.#peak;
    this.#peak = 0;
    return peak;
  }

  toJSON(): SourceJson {
    const track = this.track;
    const base = { id: this.id, kind: this.kind, label: track?.label || this.#label, deviceId: this.deviceId };
    if (!track) return { ...base, state: null, capabilities: {}, constraints: {}, settings: {}, ...(this.#error ? { error: this.#error } : {}) };
    return {
      ...base,
      state: { readyState: track.readyState, muted: track.muted },
      capabilities: track.getCapabilities() as Record<string, unknown>,
      constraints: track.getConstraints() as Record<string, unknown>,
      settings: track.getSettings() as Record<string, unknown>,
    };
  }

  /** Stops the track and the level meter. */
  close(): void {
    this.#detach?.();
    this.#detach = null;
    this.track?.stop();
  }
}

type DisplayMediaDevices = { getDisplayMedia?: (options?: unknown) => Promise<{ getVideoTracks(): MediaStreamTrack[] }> };

/**
 * Opens every camera and microphone the scope has, and the screen where a screen backend is
 * configured. Permission is asked once per kind first (as `mediacapture devices` does), so
 * enumerateDevices lists every device with its id and label.
 */
export async function openSources(scope: CliScope): Promise<PreviewSource[]> {
  const md = scope.mediaDevices;
  const present = (await md.enumerateDevices()).map((d) => d.kind);
  const kinds = (['video', 'audio'] as const).filter((k) => present.includes(`${k}input`));
  const denied = await exposeDeviceInfo(scope, kinds);
  const sources: PreviewSource[] = [];
  const add = (kind: SourceKind, deviceId: string, label: string, opened: MediaStreamTrack | { error: unknown }) =>
    sources.push(new PreviewSource(`s${sources.length}`, kind, deviceId, label, opened));
  const devices = await md.enumerateDevices();
  for (const [kind, input] of [['camera', 'videoinput'], ['microphone', 'audioinput']] as const) {
    const media = input === 'videoinput' ? 'video' : 'audio';
    for (const device of devices.filter((d) => d.kind === input)) {
      // Permission denied: every device of the kind would be refused again.
      const refused = denied.get(media);
      if ((refused as Error | undefined)?.name === 'NotAllowedError') {
        add(kind, device.deviceId, device.label, { error: refused });
        continue;
      }
      try {
        const stream = await md.getUserMedia({ [media]: { deviceId: { exact: device.deviceId } } });
        add(kind, device.deviceId, device.label, stream.getTracks()[0]!);
      } catch (error) {
        add(kind, device.deviceId, device.label, { error });
      }
    }
  }
  const display = md as unknown as DisplayMediaDevices;
  if (scope.handle.manager.displays.length > 0 && typeof display.getDisplayMedia === 'function') {
    try {
      const stream = await display.getDisplayMedia.call(md, { video: true, audio: false });
      add('screen', '', 'Screen', stream.getVideoTracks()[0]!);
    } catch (error) {
      add('screen', '', 'Screen', { error });
    }
  }
  return sources;
}
