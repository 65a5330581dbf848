import { CaptureControllerSlots, setFocusBehavior } from '../algorithms/capture-controller.js';
import { illegalInvocation } from '../platform/errors.js';
import { exposeInterface } from '../platform/interface.js';
import { PlatformEventTarget } from '../realm/current.js';
import { registerInterface } from '../webidl/index.js';
import { CaptureStartFocusBehavior } from '../webidl/screen-capture.js';

let slotsOf: (value: unknown) => CaptureControllerSlots | undefined;

/**
 * CaptureController (https://w3c.github.io/mediacapture-screen-share/#capturecontroller §5.4.3):
 * passed to `getDisplayMedia({ video: true, controller })`, it is bound to that one call and then
 * to the capture-session it starts. Its slots and algorithms are a {@link CaptureControllerSlots}.
 */
export class CaptureController extends PlatformEventTarget {
  #slots: CaptureControllerSlots;

  constructor() {
    super();
    this.#slots = new CaptureControllerSlots();
  }

  /**
   * setFocusBehavior(focusBehavior): before capture starts, records the wish; afterwards, throws
   * InvalidStateError, since the surfaces captured here are screens, never tabs or windows.
   */
  setFocusBehavior(focusBehavior: CaptureStartFocusBehavior): void {
    const context = "Failed to execute 'setFocusBehavior' on 'CaptureController'";
    if (!(#slots in this)) throw illegalInvocation('CaptureController', 'setFocusBehavior');
    if (arguments.length < 1) throw new TypeError(`${context}: 1 argument required, but only 0 present.`);
    // 1.
    const behavior = CaptureStartFocusBehavior(focusBehavior, `${context}: focusBehavior`);
    setFocusBehavior(this.#slots, behavior);
  }

  static {
    slotsOf = (value) => (typeof value === 'object' && value !== null && #slots in value ? value.#slots : undefined);
  }
}
exposeInterface(CaptureController);

/** Package-internal: the slots of a CaptureController (getDisplayMedia binds it). */
export function captureControllerSlots(value: unknown): CaptureControllerSlots | undefined {
  return slotsOf(value);
}

registerInterface('CaptureController', (value) => slotsOf(value) !== undefined);
declare module '../webidl/interface-types.js' {
  interface InterfaceTypes {
    CaptureController: CaptureController;
  }
}
