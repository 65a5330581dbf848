/**
 * The internal slots and algorithms of a CaptureController
 * (https://w3c.github.io/mediacapture-screen-share/#capturecontroller §5.4.3).
 *
 * Focus: a Node global has no windows to focus, so "focus" decisions are recorded
 * ([[FocusBehavior]], [[FocusDecisionFinalized]]) and change nothing else. The surfaces this
 * package captures are monitors (X11 screens, screen files), never "browser" or "window", so a
 * bound controller's setFocusBehavior() throws InvalidStateError as the spec's step 4 says.
 */
import { invalidState } from '../platform/errors.js';
import { queueTask } from '../platform/tasks.js';
import type { CaptureStartFocusBehavior } from '../webidl/screen-capture.js';
import { monotonicNow } from '../platform/timers.js';

/** The recommended time after which the focus decision is final (finalize focus decision, step 1). */
const FOCUS_DECISION_WINDOW_MS = 1000;

export class CaptureControllerSlots {
  /** [[IsBound]]: whether a getDisplayMedia() call took this controller. */
  isBound = false;
  /** [[Source]]: whether the capture-session's source is still running, once there is one. */
  source: { readonly stopped: boolean } | null = null;
  /** [[DisplaySurfaceType]] */
  displaySurfaceType: string | null = null;
  /** [[FocusChangeDisabled]] */
  focusChangeDisabled = false;
  /** [[FocusDecisionFinalized]] */
  focusDecisionFinalized = false;
  /** [[FocusBehavior]] */
  focusBehavior: CaptureStartFocusBehavior | null = null;
  /** When the capture-session started (monotonicNow()), for finalize focus decision step 1. */
  sessionStart = 0;
}

/** getDisplayMedia() step 3: binds `controller` to the call, or throws InvalidStateError when another call bound it. */
export function bindController(controller: CaptureControllerSlots): void {
  // 3.1.
  if (controller.isBound) throw invalidState('getDisplayMedia: this CaptureController was already passed to getDisplayMedia(); make a new one for each call.');
  // 3.2.
  controller.isBound = true;
}

/** getDisplayMedia() step 12.8: the capture-session started with `source`, a surface of `displaySurfaceType`. */
export function startCaptureSession(controller: CaptureControllerSlots, source: { readonly stopped: boolean }, displaySurfaceType: string): void {
  // 12.8.1.
  controller.source = source;
  // 12.8.2.
  controller.displaySurfaceType = displaySurfaceType;
  controller.sessionStart = monotonicNow();
  // 12.8.3.
  queueTask(() => finalizeFocusDecision(controller));
}

/** setFocusBehavior(focusBehavior), steps 2–7 (step 1, the conversion, is the IDL class's). */
export function setFocusBehavior(controller: CaptureControllerSlots, focusBehavior: CaptureStartFocusBehavior): void {
  // 2.
  if (controller.source === null) {
    controller.focusBehavior = focusBehavior;
    return;
  }
  // 3.
  if (controller.source.stopped) throw invalidState('setFocusBehavior: the capture has stopped.');
  // 4.
  if (controller.displaySurfaceType !== 'browser' && controller.displaySurfaceType !== 'window') {
    throw invalidState(`setFocusBehavior: the captured surface is a ${controller.displaySurfaceType}, not a tab or a window, so there is no focus to decide.`);
  }
  // 5.
  if (controller.focusDecisionFinalized) throw invalidState('setFocusBehavior: the focus decision was already made (it is final a task after getDisplayMedia() resolves).');
  // 6.
  controller.focusBehavior = focusBehavior;
  // 7.
  finalizeFocusDecision(controller);
}

/** The finalize focus decision algorithm. */
function finalizeFocusDecision(controller: CaptureControllerSlots): void {
  // 1.
  if (monotonicNow() - controller.sessionStart > FOCUS_DECISION_WINDOW_MS) controller.focusDecisionFinalized = true;
  // 2.
  if (controller.focusDecisionFinalized) return;
  // 3.
  controller.focusDecisionFinalized = true;
  // 4.–5. and the focus change itself: nothing to focus in Node (module comment).
}
