/**
 * The X11 backend: the screens of an X display as display surfaces for getDisplayMedia (Screen
 * Capture). It is a DeviceProvider of kind "display": the device manager offers it to
 * getDisplayMedia only, never to enumerateDevices, since "display capture sources MUST NOT be
 * enumerated by enumerateDevices()" (Screen Capture §5.5),
 * and their coming and going fires no `devicechange` (§8), so `watch` never calls back.
 *
 * Each X screen is one surface, its whole root window ("monitor"; several monitors of one screen
 * are captured together). Its native modes are the screen's size at the capture rate (default 30
 * fps; X does not tell a refresh rate that means anything for Xvfb or a remote display) and at
 * lower rates x11grab can grab at directly (15, 10, 5 and 1 fps: a track that wants 10 fps makes
 * ffmpeg grab a third as often instead of decimating; bench/README.md), each once with the cursor
 * drawn and once without.
 */
import type { DeviceDescriptor } from '../../media/modes.js';
import { notReadable } from '../../platform/errors.js';
import type { DeviceProvider, OpenRequest } from '../provider.js';
import { X11ScreenSource, type ScreenMode } from './source.js';
import { XConnection, parseDisplayName, screenName } from './xconnection.js';
import { OpenSources } from '../common/open-sources.js';

export interface X11ProviderOptions {
  /** The X display, e.g. ":0". Default: the DISPLAY variable of `env()` at each enumeration. */
  readonly display?: string;
  /** The capture rate, frames per second: the surfaces' native frame rate. Default 30. */
  readonly frameRate?: number;
  /** Environment for DISPLAY, XAUTHORITY and ffmpeg. Default: process.env at the time of each call. */
  readonly env?: () => NodeJS.ProcessEnv;
  /** How long opening waits for the first frame. Default 10 000 ms. */
  readonly startTimeoutMs?: number;
}

/** Grab rates offered below the capture rate. */
const LOWER_RATES = [15, 10, 5, 1];

/** Screens of an X11 display, for getDisplayMedia. */
export class X11DisplayProvider implements DeviceProvider {
  readonly name = 'x11';
  readonly #options: X11ProviderOptions;
  readonly #sources = new OpenSources<X11ScreenSource>();
  #lastError = '';

  constructor(options: X11ProviderOptions = {}) {
    this.#options = options;
  }

  /** Whether there is a display to try: the `display` option, or DISPLAY in the environment. */
  static supports(env: NodeJS.ProcessEnv = process.env): boolean {
    return !!env.DISPLAY;
  }

  /** Why the last enumeration found no screens ("" when it found some). */
  get lastError(): string {
    return this.#lastError;
  }

  /** The display's screens now. No display, or one that cannot be reached: none (see `lastError`). */
  async enumerate(): Promise<readonly DeviceDescriptor[]> {
    const env = this.#env();
    const name = this.#options.display ?? env.DISPLAY;
    if (!name) {
      this.#lastError = 'no X display is set (DISPLAY is empty)';
      return [];
    }
    let connection: XConnection;
    try {
      connection = await XConnection.connect(name, { env });
    } catch (e) {
      this.#lastError = (e as Error).message;
      return [];
    }
    connection.close();
    this.#lastError = '';
    const display = parseDisplayName(name);
    const frameRate = this.#options.frameRate ?? 30;
    return connection.info.screens.map((s): DeviceDescriptor => {
      const rawId = screenName(display, s.index);
      const rates = [frameRate, ...LOWER_RATES.filter((r) => r < frameRate)];
      const modes: ScreenMode[] = rates.flatMap((rate) => [
        { width: s.width, height: s.height, frameRate: rate, pixelFormat: 'I420', cursor: 'always' as const },
        { width: s.width, height: s.height, frameRate: rate, pixelFormat: 'I420', cursor: 'never' as const },
      ]);
      return {
        rawId,
        kind: 'videoinput',
        label: connection.info.screens.length === 1 ? `Entire screen (${rawId})` : `Screen ${s.index + 1} (${rawId})`,
        groupKey: `x11:${display.host}:${display.display}`,
        videoModes: modes,
      };
    });
  }

  /** Display surfaces fire no devicechange (Screen Capture §8): the listener is never called. */
  watch(): () => void {
    return () => {};
  }

  async open(device: DeviceDescriptor, request: OpenRequest): Promise<X11ScreenSource> {
    const mode = request.mode as ScreenMode;
    if (!('width' in mode)) throw notReadable(`X11 screen "${device.rawId}" was asked for an audio mode.`);
    const source = await X11ScreenSource.open(device, device.rawId, { ...mode, cursor: mode.cursor ?? 'always' }, {
      env: this.#env(),
      ...(this.#options.startTimeoutMs ? { startTimeoutMs: this.#options.startTimeoutMs } : {}),
    });
    this.#sources.add(source);
    return source;
  }

  /** The screens being captured now. */
  get openSources(): readonly X11ScreenSource[] {
    return this.#sources.list;
  }

  #env(): NodeJS.ProcessEnv {
    return this.#options.env?.() ?? process.env;
  }
}
