/** The EventInit dictionary (DOM), which Node's typings do not export as a global type. */
export interface EventInit {
  bubbles?: boolean;
  cancelable?: boolean;
  composed?: boolean;
}
