import { BuiltinProvider } from './backends/builtin/provider.js';
import { SyntheticScreen } from './backends/builtin/screen.js';
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
import { CaptureController } from './interfaces/CaptureController.js';
import { BlobEvent } from './interfaces/BlobEvent.js';
import { ErrorEvent } from './interfaces/ErrorEvent.js';
import { PermissionStatus, Permissions, type OtherPermissions } from './interfaces/Permissions.js';
import { installCanvas } from './html/canvas/install.js';
import { installWebAudio } from './webaudio/index.js';
import { INTERNAL } from './platform/interface.js';
import { withRealm } from './realm/current.js';
import type { Callable } from './realm/kit.js';
import { realmOfGlobal, type Realm } from './realm/realm.js';
import type { InterfaceObjects } from './algorithms/interface-objects.js';
import { AudioData, VideoColorSpace, VideoFrame } from './webcodecs/index.js';
import { ReadableStream, TransformStream, WritableStream } from 'node:stream/web';
import { DeviceIds, loadSalt } from './scope/device-ids.js';
import { installMediaElements } from './html/media-element/install.js';
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
   * on every machine (under a test runner, with the built-in screen for getDisplayMedia, as
   * `builtin,builtin-screen`); else `auto`. Real devices are shared with the process's other
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
  /**
   * Initial permission states (default: camera and microphone "granted", display-capture "prompt")
   * and the prompt handler. Under a test runner, without `onPrompt`, the display-capture prompt
   * picks the first screen (like Chrome's fake media UI), so getDisplayMedia works unasked; other
   * prompts are dismissed.
   */
  permissions?: Partial<Record<MediaPermissionName, PermissionState>> & { onPrompt?: PromptHandler };
  /**
   * Replace a native implementation (a working `navigator.mediaDevices` that is not ours). Default
   * false. Without a native one, the interface globals are always installed, replacing stubs.
   */
  replace?: boolean;
  /** Where the per-installation device-id salt is persisted. Default: see README ("Device ids"). */
  saltPath?: string;
  /**
   * Another installation whose devices this one shares: for a child window (an iframe's
   * `contentWindow`) of the window `parent` was installed into. The frame sees the same devices
   * and, when it has the same origin, the same permission store, as a browser's same-origin
   * iframe does; `devices`, `backends`, `providers` and `displayProviders` are then ignored.
   * Uninstalling the parent uninstalls the frame too.
   */
  parent?: MediaCaptureHandle;
  /**
   * The WebRTC stack under `RTCPeerConnection`: `'werift'` (werift in this process, ffmpeg
   * encoding) or `'wrtc'` (@roamhq/wrtc's libwebrtc, in a host process per connection). It applies
   * to the connections made from then on, in the whole process. Default: the MEDIACAPTURE_WEBRTC
   * variable, else werift.
   */
  webrtc?: 'werift' | 'wrtc';
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
  /** The clock the built-in devices (and the built-in screen) make media on. */
  readonly clock: Clock;
  /**
   * Makes the built-in devices and screen opened from now on run on `clock`: a `VirtualClock`
   * gives media only when the test advances it, whatever the test's fake timers do.
   * `reset()` puts back the clock of the installation.
   */
  setClock(clock: Clock): void;
  /**
   * A fresh start, as for a new page, between tests: stops every track (no `ended` event), puts
   * the built-in devices back as installed (unplugged ones plugged, added ones gone, none
   * failing or interrupted), the permissions to their initial states and prompt handler, the
   * clock to the installation's, and exposes no device information until getUserMedia is
   * called again. No `devicechange` fires for it. Resolves once the device list is read again.
   */
  reset(): Promise<void>;
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
  CaptureController,
} as const;

/** The interfaces with [SecureContext] (mediacapture-main §9.2–9.4, screen-capture §5.4.3): absent from an insecure window. */
const SECURE_CONTEXT_ONLY = new Set<string>(['MediaDevices', 'MediaDeviceInfo', 'InputDeviceInfo', 'CaptureController']);

const WEBCODECS = { VideoFrame, AudioData, VideoColorSpace } as const;

/**
 * The WHATWG streams our objects hand out (MediaStreamTrackProcessor's `readable`, the
 * generators' `writable`): Node's, for a window that has none (jsdom), so that a page can make its
 * own to pipe them to.
 */
const STREAMS = { ReadableStream, WritableStream, TransformStream } as const;

/**
 * Where an installation's handle is kept: on the global itself, under a registered symbol, so
 * that the ES module and the CommonJS copy of this package (dist/ and dist/cjs/, loaded together
 * by a Jest set-up file and an ESM test, say) find each other's installation instead of taking it
 * for a native implementation.
 */
const HANDLE = Symbol.for('mediacapture.installation');

const handles = {
  get(target: object): MediaCaptureHandle | undefined {
    return (target as { [HANDLE]?: MediaCaptureHandle })[HANDLE];
  },
  set(target: object, handle: MediaCaptureHandle): void {
    Object.defineProperty(target, HANDLE, { value: handle, configurable: true, enumerable: false, writable: true });
  },
  delete(target: object): void {
    delete (target as { [HANDLE]?: MediaCaptureHandle })[HANDLE];
  },
};

/** The origin of a window's location, or undefined for none or an opaque one ("null": about:blank). */
function originOf(target: Record<string, unknown>): string | undefined {
  const location = target.location as { origin?: unknown } | undefined;
  const origin = typeof location?.origin === 'string' ? location.origin : '';
  return origin && origin !== 'null' ? origin : undefined;
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

  const g = target as Record<string, unknown>;
  const parent = options.parent;
  // An about:blank frame has its creator's origin.
  const origin = options.origin ?? originOf(g) ?? parent?.permissions.origin ?? 'http://localhost';
  const { builtin, manager, screen, silent } = parent ? { builtin: parent.devices, manager: parent.manager, screen: undefined, silent: false } : openDevices(options);
  const { onPrompt, ...initialStates } = options.permissions ?? {};
  const prompt = onPrompt ?? parent?.permissions.promptHandler ?? (underTestRunner() ? pickFirstScreen : undefined);
  const permissions = parent && parent.permissions.origin === origin ? parent.permissions : new PermissionStore(origin, initialStates, prompt);
  // A window with its own JavaScript realm gets that realm's objects (src/realm/realm.ts).
  const realm = realmOfGlobal(target);
  const interfaces = realm ? interfaceObjectsIn(realm, interfaceObjects) : interfaceObjects;
  const state = new MediaDevicesState({ origin, permissions, ids: new DeviceIds(origin, loadSalt(options.saltPath)), manager, interfaces });
  // Objects the installation makes for the window: that realm's (plain ones get its prototype too).
  const make = <T>(steps: () => T): T => (realm ? (realm.run(steps) as T) : steps());
  const mediaDevices = make(() => new MediaDevices(INTERNAL, state));
  // [SecureContext]: a window that says it is not a secure context gets no navigator.mediaDevices.
  const secure = g.isSecureContext !== false;
  const exposed = (ctor: Callable) => (realm ? realm.interfaceObject(ctor as never) : ctor);

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
    for (const [name, value] of Object.entries(INTERFACES)) if (secure || !SECURE_CONTEXT_ONLY.has(name)) define(g, name, exposed(value), true);
    // HTML's ErrorEvent (MediaRecorder's `error`), where the global has none (Node 20).
    define(g, 'ErrorEvent', exposed(ErrorEvent), false);
    if (realm) {
      // A bare vm context has no EventTarget, Event, DOMException: it gets the ones its objects use.
      for (const name of ['EventTarget', 'Event', 'DOMException'] as const) define(g, name, realm[name], false);
      if (secure) installNavigatorMembers(realm, g, navigator, mediaDevices, restore);
    } else if (secure) {
      const had = Object.getOwnPropertyDescriptor(navigator, 'mediaDevices');
      Object.defineProperty(navigator, 'mediaDevices', { get: () => mediaDevices, configurable: true, enumerable: true });
      restore.push(() => (had ? Object.defineProperty(navigator!, 'mediaDevices', had) : delete navigator!.mediaDevices));
      define(navigator, 'getUserMedia', legacyGetUserMedia(mediaDevices), true);
    }
    // Canvas pixels (with @napi-rs/canvas), canvas.captureStream() and CanvasCaptureMediaStreamTrack.
    restore.push(installCanvas(g, interfaces, exposed));
    // <video> and <audio> that play (jsdom, happy-dom): src/html/media-element/.
    restore.push(mediaElementsFor(target, () => builtin.clock, mediaDevices, interfaces));
    // Web Audio, where node-web-audio-api is installed; with built-in devices only, contexts play to no device.
    installWebAudio(g, (name, value) => define(g, name, value, false), { silent, interfaces });
  }
  // WebCodecs types: installed where the runtime has none; an existing VideoFrame/AudioData is
  // never shadowed (frames from our tracks are our classes either way).
  for (const [name, value] of Object.entries(WEBCODECS)) define(g, name, value, false);
  for (const [name, value] of Object.entries(STREAMS)) define(g, name, value, false);
  // RTCPeerConnection and its classes, where the chosen stack (werift, or wrtc) is installed and the global has none.
  installWebRTC(g, (name, value) => define(g, name, value, false), options.webrtc);
  // navigator.permissions answers for this installation's permission store. Where the
  // environment has one but no native media implementation (happy-dom's answers "granted" to
  // everything), ours takes its place and passes it the other permission names; its
  // PermissionStatus global stays, for the statuses it makes.
  const environmentPermissions = navigator.permissions as OtherPermissions | undefined;
  if (environmentPermissions === undefined || install) {
    const others = environmentPermissions !== undefined && !options.replace && typeof environmentPermissions.query === 'function' ? environmentPermissions : undefined;
    define(g, 'Permissions', exposed(Permissions), environmentPermissions !== undefined);
    define(g, 'PermissionStatus', exposed(PermissionStatus), !!options.replace);
    define(navigator, 'permissions', make(() => new Permissions(INTERNAL, permissions, others)), true);
  }

  const handle: MediaCaptureHandle = {
    mediaDevices,
    devices: builtin,
    permissions,
    manager,
    get clock() {
      return builtin.clock;
    },
    setClock(clock: Clock) {
      builtin.setClock(clock);
      screen?.setClock(clock);
    },
    reset() {
      if (handles.get(target) !== handle) return Promise.resolve();
      stopAllSources(state);
      builtin.reset();
      screen?.reset();
      permissions.reset();
      return mediaDevicesInternals.restart(mediaDevices);
    },
    uninstall() {
      if (handles.get(target) !== handle) return;
      handles.delete(target);
      // "stop all sources of a global object": every track ends (no event) and the last track
      // of each source releases it.
      for (const frame of [...(frames.get(handle) ?? [])]) frame.uninstall();
      stopAllSources(state);
      mediaDevicesInternals.close(mediaDevices);
      if (parent) frames.get(parent)?.delete(handle);
      else manager.close();
      for (const r of restore.reverse()) r();
    },
  };
  handles.set(target, handle);
  if (parent) frames.set(parent, (frames.get(parent) ?? new Set()).add(handle));
  return handle;
}

/** The frames installed with `parent` set to a handle, uninstalled with it. */
const frames = new WeakMap<MediaCaptureHandle, Set<MediaCaptureHandle>>();

/** The built-in devices (and screen, under a test runner) and the device manager of a new (top-level) installation. */
function openDevices(options: InstallOptions): { builtin: BuiltinProvider; manager: DeviceManager; screen: SyntheticScreen | undefined; silent: boolean } {
  registerPackageBackends();
  const builtin = new BuiltinProvider(options.devices, options.clock ? { clock: options.clock } : {});
  const backendList = backendListFor(options);
  // Under a test runner, the default list has a built-in screen of this installation, on its clock.
  const screen = backendList === TEST_RUNNER_BACKENDS ? new SyntheticScreen(undefined, { clock: builtin.clock }) : undefined;
  const backends = selectBackends({ backends: screen ? 'builtin' : backendList, builtin });
  const selected = options.noBuiltinDevices ? backends.providers.filter((p) => p !== builtin && !(p instanceof BuiltinFallback)) : backends.providers;
  const own = options.providers ?? [];
  // Screens for getDisplayMedia: those given, else those the backend list names, else the
  // process's choice at the first call (X11 when DISPLAY is set).
  const displays = options.displayProviders ?? (screen ? [screen] : backends.displayProviders.length > 0 ? backends.displayProviders : undefined);
  const manager = new DeviceManager([...selected, ...own], {
    ...(displays ? { displays } : {}),
    release: () => {
      backends.release();
      for (const p of own) p.close?.();
    },
  });
  // Only built-in devices: no sound card to play Web Audio to (tests, CI).
  const silent = backends.providers.every((p) => p === builtin || p instanceof BuiltinFallback);
  return { builtin, manager, screen, silent };
}

/** The backend list an installation uses when `options.backends` is not given (see InstallOptions.backends). */
function backendListFor(options: InstallOptions): string | readonly string[] {
  if (options.backends !== undefined) return options.backends;
  const fromEnv = process.env[BACKENDS_VARIABLE]?.trim();
  if (fromEnv) return fromEnv;
  if (underTestRunner()) return TEST_RUNNER_BACKENDS;
  return options.devices ? 'builtin' : 'auto';
}

/** Patches the window's media elements; returns the undo. */
function mediaElementsFor(target: object, clock: () => Clock, mediaDevices: MediaDevices, interfaces: InterfaceObjects): () => void {
  return installMediaElements(target, {
    // The installation's clock, as it is now (setClock and reset change it).
    get clock() {
      return clock();
    },
    interfaces,
    audioOutputIds: async () => (await mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audiooutput').map((d) => d.deviceId),
  });
}

/** The default backends under a test runner: the built-in devices, and a built-in screen. */
const TEST_RUNNER_BACKENDS = 'builtin,builtin-screen';

/** Whether Vitest or Jest runs this process (they set these variables in their workers). */
function underTestRunner(): boolean {
  return process.env.VITEST !== undefined || process.env.JEST_WORKER_ID !== undefined;
}

/**
 * The display-capture prompt under a test runner: the user picks the first screen offered, as
 * Chrome's `--use-fake-ui-for-media-stream` does. Camera and microphone prompts are dismissed
 * (their states start "granted"; a test that sets "prompt" passes its own handler).
 */
const pickFirstScreen: PromptHandler = ({ name }) => (name === 'display-capture' ? 'granted' : 'prompt');

/** The handle of the installation on `target`, if any. */
export function getInstallation(target: object = globalThis): MediaCaptureHandle | undefined {
  return handles.get(target);
}

/** The interface objects algorithms create, made in `realm` (getUserMedia's tracks and stream, captured tracks). */
function interfaceObjectsIn(realm: Realm, objects: InterfaceObjects): InterfaceObjects {
  return {
    createMediaStreamTrack: (init) => withRealm(realm, () => objects.createMediaStreamTrack(init)),
    createMediaStream: (tracks) => withRealm(realm, () => objects.createMediaStream(tracks)),
    createCanvasCaptureMediaStreamTrack: (init, canvas, requestFrame) => withRealm(realm, () => objects.createCanvasCaptureMediaStreamTrack(init, canvas, requestFrame)),
  };
}

/**
 * `navigator.mediaDevices` and the legacy `navigator.getUserMedia` in a window's realm: members of
 * `Navigator.prototype` (the partial interface Navigator of mediacapture-main §9.1, §10.3), made of
 * the realm's functions. Without a Navigator interface, they go on the navigator object itself.
 */
function installNavigatorMembers(realm: Realm, g: Record<string, unknown>, navigator: Record<string, unknown>, mediaDevices: MediaDevices, restore: (() => void)[]): void {
  const Navigator = g.Navigator as { prototype?: object } | undefined;
  const holder = (Navigator?.prototype && Object.prototype.isPrototypeOf.call(Navigator.prototype, navigator) ? Navigator.prototype : navigator) as Record<string, unknown>;
  const brandCheck = (thisArg: unknown, member: string) => {
    if (thisArg !== navigator) throw new TypeError(`Illegal invocation: Navigator.${member} was called on an object that is not this window's navigator`);
  };
  const legacy = legacyGetUserMedia(mediaDevices);
  const members: [string, PropertyDescriptor][] = [
    ['mediaDevices', { get: realm.kit.getter('mediaDevices', (thisArg) => realm.run(() => (brandCheck(thisArg, 'mediaDevices'), mediaDevices))), enumerable: true, configurable: true }],
    [
      'getUserMedia',
      {
        value: realm.method('getUserMedia', 3, function (this: unknown, ...args: unknown[]) {
          brandCheck(this, 'getUserMedia');
          return Reflect.apply(legacy, undefined, args);
        }),
        writable: true,
        enumerable: true,
        configurable: true,
      },
    ],
  ];
  for (const [key, desc] of members) {
    const had = Object.getOwnPropertyDescriptor(holder, key);
    Object.defineProperty(holder, key, desc);
    restore.push(() => (had ? Object.defineProperty(holder, key, had) : delete holder[key]));
  }
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
