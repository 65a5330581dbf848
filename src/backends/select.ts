/**
 * Which device backends an installation uses.
 *
 * A backend list is a comma-separated string (the MEDIACAPTURE_BACKENDS variable) or an array
 * (the `backends` option in code; an entry may then contain commas). Its entries are `auto` and
 * the names of registered backends (registry.ts), with an argument after a colon for those that
 * take one. The package registers these (src/backends/index.ts):
 *
 * | entry                | devices                                                               |
 * |----------------------|-----------------------------------------------------------------------|
 * | `auto`               | the real devices of this machine, built-in synthetic ones where none  |
 * | `builtin`            | the built-in synthetic devices                                        |
 * | `pulse`              | PulseAudio (or PipeWire's pulse server) microphones and speakers      |
 * | `alsa`               | ALSA capture devices (/proc/asound, arecord), without a sound server  |
 * | `v4l2`               | V4L2 cameras, /dev/video*                                             |
 * | `file:PATH`          | a media file as a camera and/or microphone (see file/provider.ts)     |
 * | `x11` / `x11:DISPLAY`| the screens of an X display for getDisplayMedia (default $DISPLAY)    |
 * | `screen-file:PATH`   | a media file's video as a screen for getDisplayMedia                  |
 * | `builtin-screen`     | the built-in test pattern as a screen for getDisplayMedia             |
 *
 * `auto` is every registered backend whose `supports(env)` says yes, in the order of
 * registration, except those that opt out (builtin, file, screen-file, builtin-screen): PulseAudio
 * when `pactl` is installed (a server that does not answer lists nothing), V4L2 when /dev/video*
 * exist, X11 screens when DISPLAY is set, ALSA when the kernel lists a sound card and no PulseAudio
 * server answers (asked at each enumeration), an application's own backends where they say so, and the built-in devices of each
 * kind (camera, microphone, speaker) that none of those has, decided at each enumeration, so
 * plugging in a camera replaces the synthetic one. `auto,file:/tmp/a.y4m` adds a file camera
 * (which then counts as a real camera). A screen is never made up: without a display,
 * getDisplayMedia finds none (NotFoundError) unless `builtin-screen` or `screen-file:` is listed.
 *
 * Precedence: the `backends` option, else MEDIACAPTURE_BACKENDS, else `auto`.
 */
import type { DeviceDescriptor, DeviceKind } from '../media/modes.js';
import { deviceHub, type DeviceHub } from './hub.js';
import { knownDevices, type DeviceProvider, type OpenRequest } from './provider.js';
import {
  backendEnvironment,
  backendRegistry,
  processEnvironment,
  type BackendRegistry,
  type DeviceBackendKind,
  type DeviceBackendPlugin,
} from './registry.js';

/** The environment variable holding a backend list. */
export const BACKENDS_VARIABLE = 'MEDIACAPTURE_BACKENDS';

/** The backend that makes the built-in synthetic devices, and fills in for `auto`. */
const BUILTIN = 'builtin';

/**
 * One parsed entry of a backend list: the backend's name as `kind`, and the argument under the
 * name the backend gives it (`{ kind: 'file', path: '/tmp/a.y4m' }`, `{ kind: 'x11', display: ':1' }`).
 */
export interface BackendListEntry {
  readonly kind: string;
  readonly [argument: string]: string;
}

/**
 * Parses a backend list against the registered backends. Throws a TypeError naming an unknown
 * entry and the known ones.
 */
export function parseBackendList(list: string | readonly string[], registry: BackendRegistry = backendRegistry): BackendListEntry[] {
  const items = typeof list === 'string' ? list.split(',') : [...list];
  const out: BackendListEntry[] = [];
  for (const raw of items) {
    const item = raw.trim();
    if (item === '') continue;
    const colon = item.indexOf(':');
    const head = colon < 0 ? item : item.slice(0, colon);
    const rest = colon < 0 ? '' : item.slice(colon + 1);
    if (head === 'auto' && colon < 0) {
      out.push({ kind: 'auto' });
      continue;
    }
    const plugin = pluginNamed(registry, head);
    const argument = plugin?.argument;
    // `file` and `file:` lack their path; `builtin:x` has an argument it does not take; `x11:` is `x11`.
    const valid = plugin !== undefined && (colon < 0 ? !argument?.required : argument !== undefined && (rest !== '' || !argument.required));
    if (valid) {
      out.push(rest && argument ? { kind: head, [argument.name]: rest } : { kind: head });
      continue;
    }
    throw new TypeError(`Unknown device backend "${item}". Known: ${knownEntries(registry)} (comma-separated in ${BACKENDS_VARIABLE}).`);
  }
  return out;
}

function pluginNamed(registry: BackendRegistry, name: string): DeviceBackendPlugin | undefined {
  return registry.devicePlugins.find((p) => p.name === name);
}

/** "auto, builtin, pulse, v4l2, file:PATH, x11, x11:DISPLAY, …": what a backend list may hold. */
function knownEntries(registry: BackendRegistry): string {
  const spell = ({ name, argument }: DeviceBackendPlugin) => {
    if (!argument) return name;
    const withArgument = `${name}:${argument.name.toUpperCase()}`;
    return argument.required ? withArgument : `${name}, ${withArgument}`;
  };
  return ['auto', ...registry.devicePlugins.map(spell)].join(', ');
}

export interface BackendSelectionOptions {
  /** The backend list. Default: MEDIACAPTURE_BACKENDS, else "auto". */
  readonly backends?: string | readonly string[];
  /** The installation's built-in devices (so that plug/unplug on it reach script). Default: a new default set. */
  readonly builtin?: DeviceProvider;
  /** The environment (MEDIACAPTURE_BACKENDS, DISPLAY, PATH). Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Whether this machine has video nodes. Default: /dev/video* exist. */
  readonly hasVideoNodes?: () => boolean;
  /** Whether pactl is installed. Default: found on PATH. */
  readonly hasPactl?: () => boolean;
  /** Whether the kernel lists an ALSA sound card. Default: /proc/asound/cards lists one. */
  readonly hasSoundCards?: () => boolean;
  /** Only backends of these kinds (e.g. `['display']`). Default: all. */
  readonly kinds?: readonly DeviceBackendKind[];
  /** Where the backends are looked up. Default: the process's registry. */
  readonly registry?: BackendRegistry;
  /** Where process-wide providers come from. Default: the process's device hub. */
  readonly hub?: DeviceHub;
}

/** What an installation uses. */
export interface SelectedBackends {
  /** Providers for the device manager: enumerateDevices() and getUserMedia(). */
  readonly providers: DeviceProvider[];
  /** Providers of display surfaces for getDisplayMedia() (never enumerated, Screen Capture §5.5). */
  readonly displayProviders: DeviceProvider[];
  /** The entries, after `auto` was expanded (for diagnostics). */
  readonly entries: readonly string[];
  /**
   * Gives back the process-wide providers of this selection to the hub (the last installation
   * using one closes it) and closes the providers made for this selection alone.
   */
  release(): void;
}

interface Choice {
  readonly plugin: DeviceBackendPlugin;
  readonly argument: string | undefined;
  readonly auto: boolean;
}

/**
 * Chooses the backends (see the module comment): each entry of the list is looked up in the
 * registry; `auto` adds every registered backend that allows it and whose `supports(env)` says
 * yes, in the order of registration. Providers come in the order of the list, except that those
 * of backends with a required argument (`file:PATH`) come after the others. Throws a TypeError
 * for an unknown entry.
 */
export function selectBackends(options: BackendSelectionOptions = {}): SelectedBackends {
  const registry = options.registry ?? backendRegistry;
  const hub = options.hub ?? deviceHub;
  const variables = options.env ?? process.env;
  const list = options.backends ?? (variables[BACKENDS_VARIABLE]?.trim() ? variables[BACKENDS_VARIABLE]! : 'auto');
  const parsed = parseBackendList(list, registry);
  const env = environmentOf(options);
  const wanted = (plugin: DeviceBackendPlugin) => !options.kinds || plugin.kinds.some((k) => options.kinds!.includes(k));
  const devicesWanted = !options.kinds || options.kinds.some((k) => k !== 'display');
  const auto = parsed.some((e) => e.kind === 'auto');
  const entries: string[] = [];
  const chosen: Choice[] = [];
  const withArgument: Choice[] = [];
  const keys = new Set<string>();
  let withBuiltin = false;
  const choose = (plugin: DeviceBackendPlugin, argument: string | undefined, byAuto: boolean): boolean => {
    if (!wanted(plugin)) return false;
    if (plugin.name === BUILTIN) return (withBuiltin = true);
    // A backend is made once; one with a required argument once per argument.
    const key = plugin.argument?.required ? `${plugin.name}:${argument}` : plugin.name;
    if (keys.has(key)) return false;
    keys.add(key);
    (plugin.argument?.required ? withArgument : chosen).push({ plugin, argument, auto: byAuto });
    return true;
  };
  for (const entry of parsed) {
    if (entry.kind !== 'auto') {
      const plugin = pluginNamed(registry, entry.kind)!;
      const argument = plugin.argument ? entry[plugin.argument.name] : undefined;
      entries.push(argument === undefined ? entry.kind : `${entry.kind}:${argument}`);
      choose(plugin, argument, false);
      continue;
    }
    for (const plugin of registry.devicePlugins) {
      if (plugin.auto === false || plugin.argument?.required || !wanted(plugin) || keys.has(plugin.name)) continue;
      if (plugin.supports(env) && choose(plugin, undefined, true)) entries.push(plugin.autoDescription ?? plugin.name);
    }
  }

  // Process-wide providers come from the hub; per-installation ones are made here.
  const acquired: DeviceProvider[] = [];
  const ownMade: DeviceProvider[] = [];
  const make = ({ plugin, argument, auto: byAuto }: Choice): DeviceProvider => {
    const create = () => plugin.create({ env, auto: byAuto, ...(argument !== undefined ? { argument } : {}) });
    if (plugin.scope === 'installation') {
      const provider = create();
      ownMade.push(provider);
      return provider;
    }
    const provider = hub.provider(env, `${plugin.name}|${byAuto ? 'auto' : 'listed'}|${argument ?? ''}`, create);
    acquired.push(provider);
    return provider;
  };
  const real: DeviceProvider[] = [];
  const displayProviders: DeviceProvider[] = [];
  for (const choice of [...chosen, ...withArgument]) {
    const provider = make(choice);
    if (choice.plugin.kinds.some((k) => k !== 'display')) real.push(provider);
    if (choice.plugin.kinds.includes('display')) displayProviders.push(provider);
  }

  let providers: DeviceProvider[] = [];
  if (devicesWanted) {
    const builtinPlugin = pluginNamed(registry, BUILTIN);
    const builtin = (): DeviceProvider => {
      if (options.builtin) return options.builtin;
      if (!builtinPlugin) throw new TypeError(`No "${BUILTIN}" backend is registered: "auto" and "${BUILTIN}" need one.`);
      return make({ plugin: builtinPlugin, argument: undefined, auto });
    };
    if (auto && !withBuiltin) {
      // The built-in devices fill in the kinds the real backends lack, asked at each enumeration.
      const shared = real.map((p) => new SharedEnumeration(p));
      providers = [new BuiltinFallback(builtin(), shared), ...shared];
      entries.push('builtin (kinds without a real device)');
    } else providers = [...(withBuiltin ? [builtin()] : []), ...real];
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    for (const p of acquired) hub.release(p);
    for (const p of ownMade) p.close?.();
  };
  return { providers, displayProviders, entries, release };
}

/**
 * The environment backends are chosen for: the process's own (whose providers the hub shares
 * between installations) unless the caller gives other variables or answers.
 */
function environmentOf(options: BackendSelectionOptions) {
  const answers: Record<string, () => boolean> = {};
  if (options.hasPactl) answers.pactl = options.hasPactl;
  if (options.hasVideoNodes) answers['video-nodes'] = options.hasVideoNodes;
  if (options.hasSoundCards) answers['sound-cards'] = options.hasSoundCards;
  if ((options.env === undefined || options.env === process.env) && Object.keys(answers).length === 0) return processEnvironment;
  return backendEnvironment(options.env ?? process.env, answers);
}

/** The device-manager providers of {@link selectBackends}. */
export function defaultProviders(options: BackendSelectionOptions = {}): DeviceProvider[] {
  return selectBackends(options).providers;
}

/** The getDisplayMedia providers of {@link selectBackends} for `env` (no device backend made). */
export function defaultDisplayProviders(env: NodeJS.ProcessEnv = process.env): DeviceProvider[] {
  return selectBackends({ env, kinds: ['display'] }).displayProviders;
}

/**
 * A provider whose concurrent `enumerate()` calls share one run: the device manager and the
 * built-in fallback ask each real backend at the same moment, and pactl or v4l2-ctl should run once.
 */
export class SharedEnumeration implements DeviceProvider {
  readonly inner: DeviceProvider;
  readonly name: string;
  #enumerating: Promise<readonly DeviceDescriptor[]> | undefined;
  #knowing: Promise<readonly DeviceDescriptor[]> | undefined;

  constructor(inner: DeviceProvider) {
    this.inner = inner;
    this.name = inner.name;
  }

  enumerate(): Promise<readonly DeviceDescriptor[]> {
    return (this.#enumerating ??= this.#shared(() => this.inner.enumerate(), () => (this.#enumerating = undefined)));
  }

  /** The inner provider's watched list where it keeps one (shared likewise), else a shared enumeration. */
  knownDevices(): Promise<readonly DeviceDescriptor[]> {
    if (!this.inner.knownDevices) return this.enumerate();
    return (this.#knowing ??= this.#shared(() => this.inner.knownDevices!(), () => (this.#knowing = undefined)));
  }

  /** Runs `list`, calling `done` when it settles (the next call then runs it again). */
  #shared(list: () => Promise<readonly DeviceDescriptor[]>, done: () => void): Promise<readonly DeviceDescriptor[]> {
    const run = list();
    run.then(done, done);
    return run;
  }

  watch(listener: () => void): () => void {
    return this.inner.watch(listener);
  }

  open(device: DeviceDescriptor, request: OpenRequest) {
    return this.inner.open(device, request);
  }

  close(): void {
    this.inner.close?.();
  }
}

/**
 * The built-in devices of the kinds that no real backend has right now. Named "builtin", so its
 * devices have the same ids as when the built-in backend is chosen outright.
 */
export class BuiltinFallback implements DeviceProvider {
  readonly name = BUILTIN;
  readonly builtin: DeviceProvider;
  readonly #real: readonly DeviceProvider[];

  constructor(builtin: DeviceProvider, real: readonly DeviceProvider[]) {
    this.builtin = builtin;
    this.#real = real;
  }

  async enumerate(): Promise<readonly DeviceDescriptor[]> {
    return this.#without((p) => p.enumerate());
  }

  /** As enumerate(), from the real providers' watched lists. */
  async knownDevices(): Promise<readonly DeviceDescriptor[]> {
    return this.#without(knownDevices);
  }

  async #without(list: (provider: DeviceProvider) => Promise<readonly DeviceDescriptor[]>): Promise<readonly DeviceDescriptor[]> {
    const [own, ...lists] = await Promise.all([list(this.builtin), ...this.#real.map((p) => list(p).catch(() => []))]);
    const present = new Set<DeviceKind>(lists.flat().map((d) => d.kind));
    return own.filter((d) => !present.has(d.kind));
  }

  /** A real device coming or going can change which built-in ones show: watch both. */
  watch(listener: () => void): () => void {
    const stops = [this.builtin.watch(listener), ...this.#real.map((p) => p.watch(listener))];
    return () => stops.forEach((s) => s());
  }

  open(device: DeviceDescriptor, request: OpenRequest) {
    return this.builtin.open(device, request);
  }

  close(): void {
    this.builtin.close?.();
  }
}
