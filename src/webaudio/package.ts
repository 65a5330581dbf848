/**
 * The Web Audio implementation this module builds on: the optional peer dependency
 * `node-web-audio-api` (1.0.x), loaded on first use. The package is not required: without it,
 * nothing of Web Audio is installed, and {@link requireWebAudioPackage} says what to install.
 *
 * The package ships its types as re-exports of lib.dom's, which this project does not compile
 * against; the few members the bridges use are typed here instead.
 */
import { createRequire } from 'node:module';

/** The npm name of the Web Audio implementation. */
export const WEB_AUDIO_PACKAGE = 'node-web-audio-api';

/** What to tell a user who has not installed it. */
export const WEB_AUDIO_INSTALL_HINT = `Web Audio (AudioContext, createMediaStreamSource, createMediaStreamDestination) needs the optional package ${WEB_AUDIO_PACKAGE}: run \`npm install ${WEB_AUDIO_PACKAGE}\`.`;

/** An AudioParam, as far as the bridges use it. */
export interface PkgAudioParam {
  value: number;
}

/** An AudioNode of the package. */
export interface PkgAudioNode extends EventTarget {
  readonly context: PkgAudioContext;
  channelCount: number;
  channelCountMode: string;
  channelInterpretation: string;
  readonly numberOfInputs: number;
  readonly numberOfOutputs: number;
  connect(destination: PkgAudioNode, output?: number, input?: number): unknown;
  disconnect(...args: unknown[]): void;
}

/** An AudioBuffer of the package. */
export interface PkgAudioBuffer {
  readonly length: number;
  readonly numberOfChannels: number;
  readonly sampleRate: number;
  copyToChannel(source: Float32Array, channelNumber: number, bufferOffset?: number): void;
  getChannelData(channel: number): Float32Array;
}

/** An AudioContext of the package. */
export interface PkgAudioContext extends EventTarget {
  readonly sampleRate: number;
  readonly currentTime: number;
  readonly state: 'suspended' | 'running' | 'closed';
  readonly destination: PkgAudioNode;
  close(): Promise<void>;
}

export interface PkgAnalyserNode extends PkgAudioNode {
  fftSize: number;
  getFloatTimeDomainData(array: Float32Array): void;
}

export interface PkgAudioBufferSourceNode extends PkgAudioNode {
  buffer: PkgAudioBuffer | null;
  start(when?: number): void;
  stop(when?: number): void;
}

export interface PkgGainNode extends PkgAudioNode {
  readonly gain: PkgAudioParam;
}


// biome-ignore lint/suspicious/noExplicitAny: the package's constructors take WebIDL dictionaries of many shapes.
type Ctor<T> = new (...args: any[]) => T;

/** The exports of node-web-audio-api this module uses, and the rest by name (installed as globals). */
export interface WebAudioPackage {
  readonly AudioContext: Ctor<PkgAudioContext>;
  readonly OfflineAudioContext: Ctor<EventTarget>;
  readonly AudioNode: Ctor<PkgAudioNode>;
  readonly GainNode: Ctor<PkgGainNode>;
  readonly AnalyserNode: Ctor<PkgAnalyserNode>;
  readonly AudioBufferSourceNode: Ctor<PkgAudioBufferSourceNode>;
  readonly ChannelSplitterNode: Ctor<PkgAudioNode>;
  readonly AudioBuffer: Ctor<PkgAudioBuffer>;
  readonly [name: string]: unknown;
}

// This module's URL. The CommonJS build (scripts/build-cjs.mjs) compiles this line too, where
// TypeScript rejects `import.meta` (TS1343); it rewrites it to `__filename`'s URL.
// biome-ignore lint/suspicious/noTsIgnore: the error exists in the CommonJS build only, so @ts-expect-error would fail the ESM one.
// @ts-ignore TS1343
const MODULE_URL: string = import.meta.url;

let loaded: { package: WebAudioPackage } | { error: Error } | undefined;

/**
 * Loads node-web-audio-api with `require` (its CommonJS entry, so that installGlobals stays
 * synchronous). `load` is the require to resolve it with: the package's own by default.
 */
export function loadWebAudioPackage(load: NodeJS.Require = createRequire(MODULE_URL)): { package: WebAudioPackage } | { error: Error } {
  try {
    const pkg = load(WEB_AUDIO_PACKAGE) as WebAudioPackage;
    if (typeof pkg?.AudioContext !== 'function' || typeof pkg.AudioNode !== 'function') {
      return { error: new Error(`${WEB_AUDIO_PACKAGE} was found but does not export AudioContext and AudioNode; install version 1.0: \`npm install ${WEB_AUDIO_PACKAGE}@1\`.`) };
    }
    return { package: pkg };
  } catch (cause) {
    const notFound = (cause as NodeJS.ErrnoException)?.code === 'MODULE_NOT_FOUND';
    const message = notFound ? WEB_AUDIO_INSTALL_HINT : `${WEB_AUDIO_PACKAGE} failed to load (${(cause as Error)?.message ?? cause}). ${WEB_AUDIO_INSTALL_HINT}`;
    return { error: new Error(message, { cause }) };
  }
}

/** node-web-audio-api, or undefined when it is not installed (loaded once per process). */
export function webAudioPackage(): WebAudioPackage | undefined {
  loaded ??= loadWebAudioPackage();
  return 'package' in loaded ? loaded.package : undefined;
}

/** node-web-audio-api; throws an Error that says what to install when it is missing. */
export function requireWebAudioPackage(): WebAudioPackage {
  loaded ??= loadWebAudioPackage();
  if ('error' in loaded) throw loaded.error;
  return loaded.package;
}

const napiKeys = new WeakMap<object, symbol>();

/**
 * The package keeps each node's native object under a private symbol, which its AudioNode
 * constructor takes as an option: a node of ours is an AudioNode of the package whose native
 * object is a node the bridge made (so `connect` and `disconnect` work across both). The symbol
 * is found by its description on a node of the package.
 */
export function nativeKeyOf(node: PkgAudioNode): symbol {
  const proto = Object.getPrototypeOf(node) as object;
  let key = napiKeys.get(proto);
  if (key === undefined) {
    key = Object.getOwnPropertySymbols(node).find((s) => s.description === 'node-web-audio-api:napi-obj');
    if (key === undefined) throw new Error(`${WEB_AUDIO_PACKAGE}: this version keeps no native object on its nodes; install version 1.0: \`npm install ${WEB_AUDIO_PACKAGE}@1\`.`);
    napiKeys.set(proto, key);
  }
  return key;
}
