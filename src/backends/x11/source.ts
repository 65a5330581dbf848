/**
 * Capture of one X11 screen with ffmpeg's x11grab (`-f x11grab`), as I420 frames stamped with
 * their arrival time. The screen's whole root window is captured: with several monitors side by
 * side, that is the aggregated "monitor" display surface of Screen Capture §4.
 *
 * Arguments and why:
 * - `-draw_mouse 1|0`: the cursor setting ("always" or "never"; x11grab cannot do "motion").
 * - `-probesize 32`: x11grab's probe otherwise reads up to 5 MB of frames before the first one
 *   comes out (16 frames of 320x240, 1.6 s at 10 fps; test/x11/quirks.test.ts).
 * - `-framerate`: x11grab grabs on its own schedule at this rate.
 *
 * The source ends (one `ended` per track) when the X server goes away. ffmpeg alone does not say
 * so reliably (see xconnection.ts), so the source also keeps an idle X connection of its own and
 * ends when that closes.
 */
import type { DeviceDescriptor, VideoMode } from '../../media/modes.js';
import { FfmpegSource } from '../common/ffmpeg-source.js';
import { notReadable } from '../../platform/errors.js';
import type { ProcessExit } from '../common/process.js';
import { XConnection } from './xconnection.js';

/** Whether the cursor is drawn into the frames (Screen Capture's CursorCaptureConstraint, less "motion"). */
export type CursorMode = 'always' | 'never';

/** A native mode of a screen: a size, a rate, and whether the cursor is drawn. */
export interface ScreenMode extends VideoMode {
  readonly cursor: CursorMode;
}

export interface X11ScreenSourceOptions {
  /** Environment for ffmpeg and the X connection (XAUTHORITY). Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  readonly startTimeoutMs?: number;
}

/** The ffmpeg input arguments that grab `display` (":99.0") at `mode`. */
export function x11grabInput(display: string, mode: ScreenMode): string[] {
  return [
    '-probesize', '32',
    '-f', 'x11grab',
    '-draw_mouse', mode.cursor === 'never' ? '0' : '1',
    '-framerate', String(mode.frameRate),
    '-video_size', `${mode.width}x${mode.height}`,
    '-i', display,
  ];
}

/** One X11 screen being captured, shared by the tracks that show it. */
export class X11ScreenSource extends FfmpegSource {
  /** The X display and screen, e.g. ":99.0". */
  readonly display: string;
  readonly #env: NodeJS.ProcessEnv;
  #watch: XConnection | undefined;

  /**
   * Connects to the display, starts ffmpeg, and resolves once the first frame arrived. Rejects
   * with a NotReadableError DOMException when either fails.
   */
  static async open(device: DeviceDescriptor, display: string, mode: ScreenMode, options: X11ScreenSourceOptions = {}): Promise<X11ScreenSource> {
    const source = new X11ScreenSource(device, display, mode, options);
    await source.#startWatching();
    try {
      await source.start();
    } catch (e) {
      source.#watch?.close();
      throw e;
    }
    return source;
  }

  private constructor(device: DeviceDescriptor, display: string, mode: ScreenMode, options: X11ScreenSourceOptions) {
    const env = options.env ?? process.env;
    super(device, mode, {
      // A function of the mode: applyConstraints can restart the grab with another cursor or rate.
      input: (m) => x11grabInput(display, m as ScreenMode),
      what: `X11 display "${display}"`,
      pacing: 'live',
      env,
      ...(options.startTimeoutMs ? { startTimeoutMs: options.startTimeoutMs } : {}),
    });
    this.display = display;
    this.#env = env;
  }

  async #startWatching(): Promise<void> {
    try {
      this.#watch = await XConnection.connect(this.display, { env: this.#env });
    } catch (e) {
      throw notReadable(`Could not capture X11 display "${this.display}": ${(e as Error).message}`);
    }
    void this.#watch.closed.then(() => {
      if (!this.#watch?.closedHere) this.end(`The X11 display "${this.display}" went away.`);
    });
  }

  protected override processExited(exit: ProcessExit, description: string): void {
    // x11grab exits with status 0 when the server dies under it (with the cursor drawn).
    this.end(exit.code === 0 ? `The X11 display "${this.display}" went away (${description}).` : `Capture of X11 display "${this.display}" failed: ${description}`);
  }

  protected override stopSource(): void {
    this.#watch?.close();
    super.stopSource();
  }
}
