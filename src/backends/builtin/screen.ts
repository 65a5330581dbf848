import type { DeviceDescriptor } from '../../media/modes.js';
import type { DeviceProvider, OpenRequest } from '../provider.js';
import type { Clock } from '../../media/clock/index.js';
import { BuiltinProvider } from './provider.js';

/**
 * A screen for getDisplayMedia where there is no display (`builtin-screen`): the built-in test
 * pattern at 1280x720, 30 fps, as one display surface. Same content on every machine, for tests.
 */
export class SyntheticScreen implements DeviceProvider {
  readonly name = 'builtin-screen';
  readonly #builtin: BuiltinProvider;

  constructor(mode: { width: number; height: number; frameRate: number } = { width: 1280, height: 720, frameRate: 30 }, options: { clock?: Clock } = {}) {
    this.#builtin = new BuiltinProvider([{ kind: 'videoinput', id: 'screen', label: 'Synthetic screen', group: 'screen', videoModes: [{ ...mode, pixelFormat: 'I420' }] }], options);
  }

  /** Makes the surfaces captured from now on run on `clock` (a VirtualClock in tests). */
  setClock(clock: Clock): void {
    this.#builtin.setClock(clock);
  }

  /** Back to the clock it was made with. */
  reset(): void {
    this.#builtin.reset();
  }

  /** The surface, without the camera's facingMode (a screen faces no way). */
  async enumerate(): Promise<readonly DeviceDescriptor[]> {
    return (await this.#builtin.enumerate()).map(({ facingMode: _facingMode, ...screen }) => screen);
  }

  /** Display surfaces fire no devicechange (Screen Capture §8). */
  watch(): () => void {
    return () => {};
  }

  open(device: DeviceDescriptor, request: OpenRequest) {
    return this.#builtin.open(device, request);
  }
}
