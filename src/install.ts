import { BuiltinProvider } from './backends/builtin/provider.js';
import type { BuiltinDeviceConfig } from './backends/builtin/config.js';
import { DeviceManager } from './backends/device-manager.js';
import { registerPackageBackends } from './backends/index.js';
import { BACKENDS_VARIABLE, BuiltinFallback, selectBackends } from './backends/select.js';
import type { DeviceProvider } from './backends/provider.js';
import type { Clock } from './media/clock/index.js';
import { MediaDevicesState, stopAllSources } from './algorithms/media-devices-state.js';
import { DeviceChangeEvent } from './interfaces/DeviceChangeEvent.js';
import { MediaDevices, mediaDevicesInternals, type MediaStreamConstraints } from './interfaces/MediaDevices.js';
import { InputDeviceInfo, MediaDeviceInfo } from './interfaces/MediaDeviceInfo.js';
import { MediaStream } from './interfaces/MediaStream.js';
import { interfaceObjects } from './interfaces/interface-objects.js';
import { MediaStreamTrack } from './interfaces/MediaStreamTrack.js';
import { MediaStreamTrackEvent } from './interfaces/MediaStreamTrackEvent.js';
import { MediaStreamTrackAudioStats } from './interfaces/MediaStreamTrackAudioStats.js';
import { MediaStreamTrackVideoStats } from './interfaces/MediaStreamTrackVideoStats.js';
import { OverconstrainedError } from './interfaces/OverconstrainedError.js';
import { MediaStreamTrackProcessor } from './interfaces/MediaStreamTrackProcessor.js';
import { VideoTrackGenerator } from './interfaces/VideoTrackGenerator.js';
import { MediaStreamTrackGenerator } from './interfaces/MediaStreamTrackGenerator.js';
import { MediaRecorder } from './interfaces/MediaRecorder.js';
import { BlobEvent } from './interfaces/BlobEvent.js';
import { ErrorEvent } from './interfaces/ErrorEvent.js';
import { PermissionStatus, Permissions } from './interfaces/Permissions.js';
import { INTERNAL } from './platform/interface.js';
import { AudioData, VideoColorSpace, VideoFrame } from './webcodecs/index.js';
import { DeviceIds, loadSalt } from './scope/device-ids.js';
import { installWebRTC } from './webrtc/index.js';
import { PermissionStore, type MediaPermissionName, type PermissionState, type PromptHandler } from './scope/permissions.js';

/** Options of {@link installGlobals}. */
export interface InstallOptions {
  /** The origin device ids and permissions belong to. Default: `target.location.origin`, else "http://localhost". */
  origin?: string;
  /** The built-in synthetic devices. Default: one camera, one microphone, one audio output. */
  devices?: BuiltinDeviceConfig[];
  /**
   * The clock the built-in devices make frames and samples on. Pass a `VirtualClock` to run
   * capture deterministically: advancing it by ten seconds makes exactly ten seconds of media.
   */
  clock?: Clock;
  /**
   * Which device backends to use, as a list or a comma-separated string: `auto` (the machine's
   * real devices, built-in ones for kinds it lacks), `builtin`, `pulse`, `v4l2`, `file:PATH`,
   * `x11`, `screen-file:PATH`, or the name of a backend of your own (`registerBackend`; see
   * src/backends/select.ts). Default: the MEDIACAPTURE_BACKENDS variable; else `builtin` when
   * `devices` is given or a test runner (Vitest, Jest) is running, so tests see the same devices
   * on every machine; else `auto`. Real devices are shared with the process's other
   * installations: one opened by two of them is opened once.
   */
  backends?: string | readonly string[];
  /** Extra device providers listed after the selected backends, for this installation alone. */
  providers?: DeviceProvider[];
  /**
   * The providers of the display surfaces getDisplayMedia offers, for this installation alone,
   * in place of the display backends of `backends` (`[]`: no display). Default: those backends;
   * when they include none, the process's choice at the first call (MEDIACAPTURE_BACKENDS, else
   * X11 where DISPLAY is set).
   */
  displayProviders?: DeviceProvider[];
  /** Leave out the built-in devices (only `providers` are listed). */
  noBuiltinDevices?: boolean;
  /** Initial permission states (default: camera and microphone "granted", display-capture "prompt") and the prompt handler. */
  permissions?: Partial<Record<MediaPermissionName, PermissionState>> & { onPrompt?: PromptHandler };
  /**
   * Replace a native implementation (a working `navigator.mediaDevices` that is not ours). Default
   * false. Without a native one, the interface globals are always installed, replacing stubs.
   */
  replace?: boolean;
  /** Where the per-installation device-id salt is persisted. Default: see README ("Device ids"). */
  saltPath?: string;
}

/** What {@link installGlobals} returns: the controls a browser's user (or a test) has. */
export interface MediaCaptureHandle {
  /** The MediaDevices installed as `navigator.mediaDevices`. */
  readonly mediaDevices: MediaDevices;
  /** The built-in devices: plug, unplug, setFailing, interrupt, resume. */
  readonly devices: BuiltinProvider;
  /** The permission store of this origin: `set('camera', 'denied')`, `state(name)`, `promptHandler`. */
  readonly permissions: PermissionStore;
  /** All device backends of this installation (`manager.displays`: those of getDisplayMedia). */
  readonly manager: DeviceManager;
  /** Stops every track of this global ("stop all sources") and restores what was there before. */
  uninstall(): void;
}

const INTERFACES = {
  MediaStream,
  MediaStreamTrack,
  MediaStreamTrackEvent,
  MediaStreamTrackAudioStats,
  MediaStreamTrackVideoStats,
  MediaDevices,
  MediaDeviceInfo,
  InputDeviceInfo,
  OverconstrainedError,
  DeviceChangeEvent,
  MediaStreamTrackProcessor,
  VideoTrackGenerator,
  MediaStreamTrackGenerator,
  MediaRecorder,
  BlobEvent,
} as const;

const WEBCODECS = { VideoFrame, AudioData, VideoColorSpace } as const;

const handles = new WeakMap<object, MediaCaptureHandle>();

function originOf(target: Record<string, unknown>): string {
  const location = target.location as { origin?: unknown } | undefined;
  const origin = typeof location?.origin === 'string' ? location.origin : '';
  return origin && origin !== 'null' ? origin : 'http://localhost';
}

/**
 * Creates a MediaDevices for `target` (a global object: `globalThis`, or a jsdom or happy-dom
 * window) and installs it as `target.navigator.mediaDevices`, together with the interface
 * globals, the legacy `navigator.getUserMedia` and, where absent, `navigator.permissions`.
 * Existing native implementations are kept unless `replace` is true.
 */
export function installGlobals(target: object = globalThis, options: InstallOptions = {}): MediaCaptureHandle {
  const existing = handles.get(target);
  if (existing && !options.replace) return existing;
  existing?.uninstall();

  registerPackageBackends();
  const g = target as Record<string, unknown>;
  const origin = options.origin ?? originOf(g);
  const builtin = new BuiltinProvider(options.devices, options.clock ? { clock: options.clock } : {});
  const backends = selectBackends({ backends: backendListFor(options), builtin });
  const selected = options.noBuiltinDevices ? backends.providers.filter((p) => p !== builtin && !(p instanceof BuiltinFallback)) : backends.providers;
  const own = options.providers ?? [];
  // Screens for getDisplayMedia: those given, else those the backend list names, else the
  // process's choice at the first call (X11 when DISPLAY is set).
  const displays = options.displayProviders ?? (backends.displayProviders.length > 0 ? backends.displayProviders : undefined);
  const manager = new DeviceManager([...selected, ...own], {
    ...(displays ? { displays } : {}),
    release: () => {
      backends.release();
      for (const p of own) p.close?.();
    },
  });
  const { onPrompt, ...initialStates } = options.permissions ?? {};
  const permissions = new PermissionStore(origin, initialStates, onPrompt);
  const state = new MediaDevicesState({ origin, permissions, ids: new DeviceIds(origin, loadSalt(options.saltPath)), manager, interfaces: interfaceObjects });
  const mediaDevices = new MediaDevices(INTERNAL, state);

  const restore: (() => void)[] = [];
  const define = (obj: Record<string, unknown>, key: string, value: unknown, force: boolean) => {
    const had = Object.getOwnPropertyDescriptor(obj, key);
    if (!force && key in obj && obj[key] !== undefined) return;
    Object.defineProperty(obj, key, { value, writable: true, configurable: true, enumerable: false });
    restore.push(() => (had ? Object.defineProperty(obj, key, had) : delete obj[key]));
  };

  let navigator = g.navigator as Record<string, unknown> | undefined;
  if (!navigator) {
    navigator = {};
    define(g, 'navigator', navigator, true);
  }
  // A native implementation is a working navigator.mediaDevices (a browser, or a future Node).
  // Without one, stubs such as happy-dom's MediaStream class are replaced, so that
  // `stream instanceof MediaStream` holds for the streams getUserMedia returns.
  const md = navigator.mediaDevices as { getUserMedia?: unknown } | undefined;
  const hasNative = typeof md?.getUserMedia === 'function' && !mediaDevicesInternals.is(md);
  const install = !hasNative || !!options.replace;
  if (install) {
    for (const [name, value] of Object.entries(INTERFACES)) define(g, name, value, true);
    // HTML's ErrorEvent (MediaRecorder's `error`), where the global has none (Node 20).
    define(g, 'ErrorEvent', ErrorEvent, false);
    const had = Object.getOwnPropertyDescriptor(navigator, 'mediaDevices');
    Object.defineProperty(navigator, 'mediaDevices', { get: () => mediaDevices, configurable: true, enumerable: true });
    restore.push(() => (had ? Object.defineProperty(navigator!, 'mediaDevices', had) : delete navigator!.mediaDevices));
    define(navigator, 'getUserMedia', legacyGetUserMedia(mediaDevices), true);
  }
  // WebCodecs types: installed where the runtime has none; an existing VideoFrame/AudioData is
  // never shadowed (frames from our tracks are our classes either way).
  for (const [name, value] of Object.entries(WEBCODECS)) define(g, name, value, false);
  installWebRTC(g, (name, value) => define(g, name, value, false));
  if (navigator.permissions === undefined || options.replace) {
    define(g, 'Permissions', Permissions, !!options.replace);
    define(g, 'PermissionStatus', PermissionStatus, !!options.replace);
    define(navigator, 'permissions', new Permissions(INTERNAL, permissions), true);
  }

  const handle: MediaCaptureHandle = {
    mediaDevices,
    devices: builtin,
    permissions,
    manager,
    uninstall() {
      if (handles.get(target) !== handle) return;
      handles.delete(target);
      // "stop all sources of a global object": every track ends (no event) and the last track
      // of each source releases it.
      stopAllSources(state);
      mediaDevicesInternals.close(mediaDevices);
      manager.close();
      for (const r of restore.reverse()) r();
    },
  };
  handles.set(target, handle);
  return handle;
}

/** The backend list an installation uses when `options.backends` is not given (see InstallOptions.backends). */
function backendListFor(options: InstallOptions): string | readonly string[] {
  if (options.backends !== undefined) return options.backends;
  const fromEnv = process.env[BACKENDS_VARIABLE]?.trim();
  if (fromEnv) return fromEnv;
  const underTestRunner = process.env.VITEST !== undefined || process.env.JEST_WORKER_ID !== undefined;
  return options.devices || underTestRunner ? 'builtin' : 'auto';
}

/** The handle of the installation on `target`, if any. */
export function getInstallation(target: object = globalThis): MediaCaptureHandle | undefined {
  return handles.get(target);
}

/** The legacy `navigator.getUserMedia(constraints, successCallback, errorCallback)` (§10.3). */
function legacyGetUserMedia(mediaDevices: MediaDevices) {
  return function getUserMedia(constraints: unknown, successCallback: unknown, errorCallback: unknown): void {
    if (arguments.length < 3) throw new TypeError(`Failed to execute 'getUserMedia' on 'Navigator': 3 arguments required, but only ${arguments.length} present.`);
    if (typeof successCallback !== 'function') throw new TypeError("Failed to execute 'getUserMedia' on 'Navigator': The callback provided as parameter 2 is not a function.");
    if (typeof errorCallback !== 'function') throw new TypeError("Failed to execute 'getUserMedia' on 'Navigator': The callback provided as parameter 3 is not a function.");
    // 4.–6.
    mediaDevices.getUserMedia(constraints as MediaStreamConstraints).then(
      (stream) => successCallback(stream),
      (error) => errorCallback(error),
    );
  };
}
