/**
 * The backend registry: the one way a backend plugs in, whether it comes with the package
 * (builtin, pulse, alsa, v4l2, file, x11, ffmpeg) or from the application.
 *
 * A backend is a {@link BackendPlugin}: its name (what `MEDIACAPTURE_BACKENDS` and the `backends`
 * option call it), the kinds it serves (camera, microphone, speaker, display, encoder), a static
 * `supports(env)` check (may `auto` use it on this machine?) and `create(options)`, which makes
 * the working object: a {@link DeviceProvider} for the device kinds, an {@link EncoderBackend}
 * for `encoder`. The package registers its own at its entry (src/backends/index.ts); an
 * application registers its own with {@link registerBackend} and names it in the backend list, or
 * lets `auto` pick it.
 */
import type { EncoderBackend } from './encoder.js';
import type { DeviceProvider } from './provider.js';

/** What a backend serves. */
export type BackendKind = 'camera' | 'microphone' | 'speaker' | 'display' | 'encoder';

/**
 * The kinds a {@link DeviceProvider} serves: devices that enumerateDevices() lists (camera,
 * microphone, speaker), or surfaces that getDisplayMedia() captures (display), which are never
 * enumerated (Screen Capture §5.5).
 */
export type DeviceBackendKind = Exclude<BackendKind, 'encoder'>;

const DEVICE_KINDS: readonly DeviceBackendKind[] = ['camera', 'microphone', 'speaker', 'display'];

/** The machine as a backend's `supports` check sees it. */
export interface BackendEnvironment {
  /** The environment variables (DISPLAY, PATH, PULSE_SERVER, …). */
  readonly variables: NodeJS.ProcessEnv;
  /**
   * Whether the machine has `feature` (the package asks about "pactl", "video-nodes" and
   * "sound-cards"): `check()`, unless whoever selects the backends answered for it (tests do).
   */
  has(feature: string, check: () => boolean): boolean;
}

/** The environment of this process: process.env, every question answered by looking. */
export const processEnvironment: BackendEnvironment = backendEnvironment(process.env);

/**
 * An environment of `variables`, with the features in `answers` answered by those functions
 * instead of by looking.
 */
export function backendEnvironment(variables: NodeJS.ProcessEnv, answers: Readonly<Record<string, () => boolean>> = {}): BackendEnvironment {
  return {
    variables,
    has: (feature, check) => (Object.hasOwn(answers, feature) ? answers[feature]! : check)(),
  };
}

/** The argument a backend takes after a colon in a backend list (`file:PATH`, `x11:DISPLAY`). */
export interface BackendArgument {
  /**
   * Its name: the member that holds it in a parsed entry (`path` in `{ kind: 'file', path }`)
   * and, upper-cased, its placeholder in messages (`file:PATH`).
   */
  readonly name: string;
  /**
   * True when the entry needs it (`file:PATH`): such a backend may be listed several times, once
   * per argument, each making a provider of its own. False when it may be left out (`x11`, `x11:DISPLAY`).
   */
  readonly required: boolean;
}

/** What `create` is given. */
export interface BackendCreateOptions {
  /** The machine it runs on (variables, features). */
  readonly env: BackendEnvironment;
  /** What followed the colon in the backend list (`file:/tmp/a.y4m` → "/tmp/a.y4m"), if anything. */
  readonly argument?: string;
  /** True when `auto` chose the backend, false when the backend list names it. */
  readonly auto: boolean;
}

/** A backend of cameras, microphones, speakers or display surfaces. */
export interface DeviceBackendPlugin {
  /** Its name in backend lists: letters, digits, "-" and "_", e.g. "pulse" or "my-camera". */
  readonly name: string;
  /** What its devices are. */
  readonly kinds: readonly DeviceBackendKind[];
  /** The argument it takes after a colon; none when absent. */
  readonly argument?: BackendArgument;
  /** Whether `auto` uses it where `supports` says yes. Default true. */
  readonly auto?: boolean;
  /** How the list of chosen backends calls it when `auto` chose it. Default: its name. */
  readonly autoDescription?: string;
  /**
   * "process" (the default): one provider per process, shared by every installation, so that a
   * device two installations open is opened once (see hub.ts). "installation": one per
   * installation, for devices each installation configures (the built-in synthetic ones).
   */
  readonly scope?: 'process' | 'installation';
  /** Whether it can work on this machine. Static and synchronous: it is asked when backends are chosen. */
  supports(env: BackendEnvironment): boolean;
  /** Makes its provider. */
  create(options: BackendCreateOptions): DeviceProvider;
}

/** A backend that encodes recordings for MediaRecorder. */
export interface EncoderBackendPlugin {
  /** Its name, e.g. "ffmpeg". */
  readonly name: string;
  readonly kinds: readonly ['encoder'];
  /** Whether it can encode on this machine (its program or library is present). */
  supports(env: BackendEnvironment): boolean;
  /** Makes its encoder backend (once, at the first recording or isTypeSupported). */
  create(options: { readonly env: BackendEnvironment }): EncoderBackend;
}

/** Any backend. */
export type BackendPlugin = DeviceBackendPlugin | EncoderBackendPlugin;

/** Whether `plugin` is an encoder backend. */
export function isEncoderPlugin(plugin: BackendPlugin): plugin is EncoderBackendPlugin {
  return (plugin.kinds as readonly string[]).includes('encoder');
}

const NAME = /^[A-Za-z0-9_-]+$/;

/** The registered backends, in the order of registration. */
export class BackendRegistry {
  readonly #plugins: BackendPlugin[] = [];
  readonly #encoders = new Map<EncoderBackendPlugin, EncoderBackend>();

  /**
   * Registers `plugin`. Throws a TypeError when its name is taken or malformed, or its kinds
   * are empty, unknown, or mix `encoder` with device kinds. Returns a function that unregisters it.
   */
  register(plugin: BackendPlugin): () => void {
    const { name, kinds } = plugin;
    if (typeof name !== 'string' || !NAME.test(name) || name === 'auto') {
      throw new TypeError(`A backend's name must be letters, digits, "-" or "_" (and not "auto"); got ${JSON.stringify(name)}.`);
    }
    if (this.get(name)) throw new TypeError(`A backend named "${name}" is registered already; unregister it first.`);
    const encoder = (kinds as readonly string[]).includes('encoder');
    const known = (kinds as readonly string[]).every((k) => (DEVICE_KINDS as readonly string[]).includes(k) || k === 'encoder');
    if (kinds.length === 0 || !known || (encoder && kinds.length > 1)) {
      throw new TypeError(`Backend "${name}" has kinds ${JSON.stringify(kinds)}: give one or more of ${DEVICE_KINDS.join(', ')}, or "encoder" alone.`);
    }
    this.#plugins.push(plugin);
    return () => this.unregister(plugin);
  }

  /** Removes `plugin` (providers it made keep working until their installations end). */
  unregister(plugin: BackendPlugin): void {
    const i = this.#plugins.indexOf(plugin);
    if (i >= 0) this.#plugins.splice(i, 1);
    if (isEncoderPlugin(plugin)) this.#encoders.delete(plugin);
  }

  /** The backend called `name`, if one is registered. */
  get(name: string): BackendPlugin | undefined {
    return this.#plugins.find((p) => p.name === name);
  }

  /** Every registered backend, in the order of registration. */
  get plugins(): readonly BackendPlugin[] {
    return [...this.#plugins];
  }

  /** The device backends, in the order of registration (the order `auto` tries them in). */
  get devicePlugins(): readonly DeviceBackendPlugin[] {
    return this.#plugins.filter((p): p is DeviceBackendPlugin => !isEncoderPlugin(p));
  }

  /**
   * The encoder backends, the latest registered first, so that an application's own encoder
   * is tried before the package's. Each is created once.
   */
  encoders(env: BackendEnvironment = processEnvironment): EncoderBackend[] {
    const out: EncoderBackend[] = [];
    for (const plugin of [...this.#plugins].reverse()) {
      if (!isEncoderPlugin(plugin)) continue;
      let backend = this.#encoders.get(plugin);
      if (!backend) this.#encoders.set(plugin, (backend = plugin.create({ env })));
      out.push(backend);
    }
    return out;
  }
}

/** The registry of this process. */
export const backendRegistry = new BackendRegistry();

/**
 * Registers a backend of your own: a camera, microphone, speaker or display backend (whose
 * `create` makes a {@link DeviceProvider}) or an encoder for MediaRecorder. Name it in the
 * `backends` option or MEDIACAPTURE_BACKENDS, or let `auto` choose it where `supports` says yes.
 * Returns a function that unregisters it.
 *
 * @example
 * registerBackend({
 *   name: 'testcard',
 *   kinds: ['camera'],
 *   supports: () => true,
 *   create: () => new TestCardProvider(),
 * });
 * installGlobals(window, { backends: 'testcard' });
 */
export function registerBackend(plugin: BackendPlugin): () => void {
  return backendRegistry.register(plugin);
}
