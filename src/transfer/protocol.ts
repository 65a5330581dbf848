/**
 * The messages on the MessagePort of a transferred track. The side that held the track (the
 * "server") sends media and state; the side that received it (the "client") sends demand,
 * buffer releases and its close.
 */
import type { SerializedAudioData, SerializedVideoFrame } from './frame.js';

/** Server → client. */
export type ServerMessage =
  /** A frame; its bytes are on a SharedArrayBuffer lent under `id` until the client sends `release`. */
  | { readonly t: 'video'; readonly id: number; readonly frame: SerializedVideoFrame }
  /** A chunk of audio; its bytes were moved (nothing to give back). */
  | { readonly t: 'audio'; readonly audio: SerializedAudioData }
  /** The source's muted state changed. */
  | { readonly t: 'muted'; readonly muted: boolean }
  /** The source ended (device gone, generator closed, the original context stopped all its sources). */
  | { readonly t: 'ended'; readonly reason: string };

/** Client → server. */
export type ClientMessage =
  /** The client's tracks want media (a processor or another consumer is attached), or no longer do. */
  | { readonly t: 'demand'; readonly active: boolean }
  /** The client closed every frame of lent buffer `id`. */
  | { readonly t: 'release'; readonly id: number }
  /** Every track on the client side has ended: the server can let go of the source. */
  | { readonly t: 'close' };
