/**
 * Web Audio on a window: node-web-audio-api's interfaces, with an AudioContext whose
 * createMediaStreamSource, createMediaStreamTrackSource and createMediaStreamDestination take and
 * give this package's MediaStream and MediaStreamTrack (see media-stream-nodes.ts).
 */
import type { InterfaceObjects } from '../algorithms/interface-objects.js';
import { interfaceObjects } from '../interfaces/interface-objects.js';
import { webAudioClasses, type WebAudioClasses } from './media-stream-nodes.js';
import { requireWebAudioPackage, webAudioPackage } from './package.js';

export { WEB_AUDIO_INSTALL_HINT, WEB_AUDIO_PACKAGE } from './package.js';
export type { WebAudioClasses } from './media-stream-nodes.js';

/** The package's exports that are not interfaces, or that this module replaces. */
const NOT_INSTALLED = new Set(['default', 'mediaDevices', 'AudioContext', 'MediaStreamAudioSourceNode']);

/**
 * The Web Audio classes this package adds to node-web-audio-api: `AudioContext` (its default
 * output is the machine's; pass `sinkId: { type: 'none' }` for none), the MediaStream nodes.
 * Throws an Error saying what to install when node-web-audio-api is missing.
 */
export function loadWebAudio(): Omit<WebAudioClasses, 'SilentAudioContext'> {
  const { SilentAudioContext: _silent, ...classes } = webAudioClasses(requireWebAudioPackage(), interfaceObjects);
  return classes;
}

/**
 * Puts the Web Audio interfaces on `target` where it has none, with `define(target, name, value)`
 * (which records how to undo it). Does nothing without node-web-audio-api. With `silent`, a
 * context made without a `sinkId` plays to no device (`{ type: 'none' }`): the installation has
 * only built-in devices (a test, CI), where the machine may have no sound card at all.
 * `interfaces` makes the MediaStream and MediaStreamTrack of a destination's `stream` (the
 * installation's own; default: this package's classes). Returns whether the interfaces are installed.
 */
export function installWebAudio(
  target: Record<string, unknown>,
  define: (name: string, value: unknown) => void,
  options: { silent: boolean; interfaces?: InterfaceObjects },
): boolean {
  const pkg = webAudioPackage();
  if (!pkg) return false;
  const classes = webAudioClasses(pkg, options.interfaces ?? interfaceObjects);
  for (const [name, value] of Object.entries(pkg)) {
    if (!NOT_INSTALLED.has(name) && typeof value === 'function' && target[name] === undefined) define(name, value);
  }
  const own = {
    AudioContext: options.silent ? classes.SilentAudioContext : classes.AudioContext,
    MediaStreamAudioSourceNode: classes.MediaStreamAudioSourceNode,
    MediaStreamTrackAudioSourceNode: classes.MediaStreamTrackAudioSourceNode,
    MediaStreamAudioDestinationNode: classes.MediaStreamAudioDestinationNode,
  };
  for (const [name, value] of Object.entries(own)) if (target[name] === undefined) define(name, value);
  return true;
}
