/**
 * Which device backends an installation uses.
 *
 * A backend list is a comma-separated string (the MEDIACAPTURE_BACKENDS variable) or an array
 * (the `backends` option in code; an entry may then contain commas). Entries:
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
 * `auto` is: PulseAudio when `pactl` is installed (a server that does not answer lists nothing),
 * ALSA when the kernel lists a sound card and no PulseAudio server answers (asked at each
 * enumeration), V4L2 when /dev/video* exist, X11 screens when DISPLAY is set, and the built-in devices of each
 * kind (camera, microphone, speaker) that none of those has, decided at each enumeration, so
 * plugging in a camera replaces the synthetic one. `auto,file:/tmp/a.y4m` adds a file camera
 * (which then counts as a real camera). A screen is never made up: without a display,
 * getDisplayMedia finds none (NotFoundError) unless `builtin-screen` or `screen-file:` is listed.
 *
 * Precedence: the `backends` option, else MEDIACAPTURE_BACKENDS, else `auto`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { DeviceDescriptor, DeviceKind } from '../media/modes.js';
import { AlsaProvider } from './alsa/provider.js';
import { AlsaWithoutServer, hasSoundCards } from './alsa/fallback.js';
import { BuiltinProvider } from './builtin/provider.js';
import { FileProvider } from './file/provider.js';
import { PulseProvider } from './pulse/provider.js';
import type { DeviceProvider, OpenRequest } from './provider.js';
import { V4l2Provider } from './v4l2/provider.js';
import { X11DisplayProvider } from './x11/provider.js';

/** The environment variable holding a backend list. */
export const BACKENDS_VARIABLE = 'MEDIACAPTURE_BACKENDS';

/** One parsed entry of a backend list. */
export type BackendEntry =
  | { readonly kind: 'auto' | 'builtin' | 'pulse' | 'alsa' | 'v4l2' | 'builtin-screen' }
  | { readonly kind: 'file' | 'screen-file'; readonly path: string }
  | { readonly kind: 'x11'; readonly display?: string };

/** Parses a backend list. Throws a TypeError naming an unknown entry and the known ones. */
export function parseBackendList(list: string | readonly string[]): BackendEntry[] {
  const items = typeof list === 'string' ? list.split(',') : [...list];
  const out: BackendEntry[] = [];
  for (const raw of items) {
    const item = raw.trim();
    if (item === '') continue;
    const colon = item.indexOf(':');
    const head = colon < 0 ? item : item.slice(0, colon);
    const rest = colon < 0 ? '' : item.slice(colon + 1);
    if ((head === 'auto' || head === 'builtin' || head === 'pulse' || head === 'alsa' || head === 'v4l2' || head === 'builtin-screen') && colon < 0) out.push({ kind: head });
    else if ((head === 'file' || head === 'screen-file') && rest !== '') out.push({ kind: head, path: rest });
    else if (head === 'x11') out.push(rest ? { kind: 'x11', display: rest } : { kind: 'x11' });
    else {
      throw new TypeError(
        `Unknown device backend "${item}". Known: auto, builtin, pulse, v4l2, file:PATH, x11, x11:DISPLAY, screen-file:PATH, builtin-screen, alsa (comma-separated in ${BACKENDS_VARIABLE}).`,
      );
    }
  }
  return out;
}

export interface BackendSelectionOptions {
  /** The backend list. Default: MEDIACAPTURE_BACKENDS, else "auto". */
  readonly backends?: string | readonly string[];
  /** The installation's built-in devices (so that plug/unplug on it reach script). Default: a new default set. */
  readonly builtin?: BuiltinProvider;
  /** The environment (MEDIACAPTURE_BACKENDS, DISPLAY, PATH). Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Whether this machine has video nodes. Default: /dev/video* exist. */
  readonly hasVideoNodes?: () => boolean;
  /** Whether pactl is installed. Default: found on PATH. */
  readonly hasPactl?: () => boolean;
  /** Whether the kernel lists an ALSA sound card. Default: /proc/asound/cards lists one. */
  readonly hasSoundCards?: () => boolean;
}

/** What an installation uses. */
export interface SelectedBackends {
  /** Providers for the device manager: enumerateDevices() and getUserMedia(). */
  readonly providers: DeviceProvider[];
  /** Providers of display surfaces for getDisplayMedia() (never enumerated, Screen Capture §5.5). */
  readonly displayProviders: DeviceProvider[];
  /** The entries, after `auto` was expanded (for diagnostics). */
  readonly entries: readonly string[];
}

/** Chooses the backends (see the module comment). Throws a TypeError for an unknown entry. */
export function selectBackends(options: BackendSelectionOptions = {}): SelectedBackends {
  const env = options.env ?? process.env;
  const list = options.backends ?? (env[BACKENDS_VARIABLE]?.trim() ? env[BACKENDS_VARIABLE]! : 'auto');
  const parsed = parseBackendList(list);
  const builtin = options.builtin ?? new BuiltinProvider();
  const auto = parsed.some((e) => e.kind === 'auto');
  const entries: string[] = [];
  const real: DeviceProvider[] = [];
  const displayProviders: DeviceProvider[] = [];
  let withBuiltin = false;
  const files: string[] = [];
  const screenFiles: string[] = [];
  const add = (entry: BackendEntry) => {
    if (entry.kind === 'builtin') withBuiltin = true;
    else if (entry.kind === 'pulse' && !real.some((p) => p.name === 'pulse')) real.push(new PulseProvider({ env: () => env }));
    else if (entry.kind === 'alsa' && !real.some((p) => p.name === 'alsa')) real.push(new AlsaProvider());
    else if (entry.kind === 'v4l2' && !real.some((p) => p.name === 'v4l2')) real.push(new V4l2Provider());
    else if (entry.kind === 'file') files.push(entry.path);
    else if (entry.kind === 'screen-file') screenFiles.push(entry.path);
    else if (entry.kind === 'builtin-screen' && !displayProviders.some((p) => p instanceof SyntheticScreen)) displayProviders.push(new SyntheticScreen());
    else if (entry.kind === 'x11' && !displayProviders.some((p) => p.name === 'x11')) {
      displayProviders.push(new X11DisplayProvider({ env: () => env, ...(entry.display ? { display: entry.display } : {}) }));
    }
  };
  for (const entry of parsed) {
    if (entry.kind !== 'auto') {
      entries.push(describe(entry));
      add(entry);
      continue;
    }
    if ((options.hasPactl ?? (() => onPath('pactl', env)))()) (add({ kind: 'pulse' }), entries.push('pulse'));
    if ((options.hasSoundCards ?? hasSoundCards)() && !real.some((p) => p.name === 'alsa')) {
      const pulse = (options.hasPactl ?? (() => onPath('pactl', env)))();
      real.push(new AlsaWithoutServer(new AlsaProvider(), async () => pulse && PulseProvider.supports({ env: () => env })));
      entries.push('alsa (without a sound server)');
    }
    if ((options.hasVideoNodes ?? hasVideoNodes)()) (add({ kind: 'v4l2' }), entries.push('v4l2'));
    if (X11DisplayProvider.supports(env)) (add({ kind: 'x11' }), entries.push('x11'));
  }
  if (files.length > 0) real.push(new FileProvider(files));
  if (screenFiles.length > 0) displayProviders.push(new FileProvider(screenFiles.map((path) => ({ path, audio: false, label: `Screen (${path})` }))));

  let providers: DeviceProvider[];
  if (auto && !withBuiltin) {
    // The built-in devices fill in the kinds the real backends lack, asked at each enumeration.
    const shared = real.map((p) => new SharedEnumeration(p));
    providers = [new BuiltinFallback(builtin, shared), ...shared];
    entries.push('builtin (kinds without a real device)');
  } else providers = [...(withBuiltin ? [builtin] : []), ...real];
  return { providers, displayProviders, entries };
}

/** The device-manager providers of {@link selectBackends}. */
export function defaultProviders(options: BackendSelectionOptions = {}): DeviceProvider[] {
  return selectBackends(options).providers;
}

/** The getDisplayMedia providers of {@link selectBackends} for `env` (no built-in devices made). */
export function defaultDisplayProviders(env: NodeJS.ProcessEnv = process.env): DeviceProvider[] {
  return selectBackends({ env, hasPactl: () => false, hasVideoNodes: () => false, hasSoundCards: () => false }).displayProviders;
}

function describe(entry: BackendEntry): string {
  if ('path' in entry) return `${entry.kind}:${entry.path}`;
  if (entry.kind === 'x11' && entry.display) return `x11:${entry.display}`;
  return entry.kind;
}

function onPath(program: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, program)));
}

function hasVideoNodes(): boolean {
  try {
    return readdirSync('/dev').some((f) => /^video\d+$/.test(f));
  } catch {
    return false;
  }
}

/**
 * A screen for getDisplayMedia where there is no display (`builtin-screen`): the built-in test
 * pattern at 1280x720, 30 fps, as one display surface. Same content on every machine, for tests.
 */
export class SyntheticScreen implements DeviceProvider {
  readonly name = 'builtin-screen';
  readonly #builtin: BuiltinProvider;

  constructor(mode: { width: number; height: number; frameRate: number } = { width: 1280, height: 720, frameRate: 30 }) {
    this.#builtin = new BuiltinProvider([{ kind: 'videoinput', id: 'screen', label: 'Synthetic screen', group: 'screen', videoModes: [{ ...mode, pixelFormat: 'I420' }] }]);
  }

  /** The surface, without the camera's facingMode (a screen faces no way). */
  async enumerate(): Promise<readonly DeviceDescriptor[]> {
    return (await this.#builtin.enumerate()).map(({ facingMode: _facingMode, ...screen }) => screen);
  }

  /** Display surfaces fire no devicechange (Screen Capture §8). */
  watch(): () => void {
    return () => {};
  }

  open(device: DeviceDescriptor, request: OpenRequest) {
    return this.#builtin.open(device, request);
  }
}

/**
 * A provider whose concurrent `enumerate()` calls share one run: the device manager and the
 * built-in fallback ask each real backend at the same moment, and pactl or v4l2-ctl should run once.
 */
export class SharedEnumeration implements DeviceProvider {
  readonly inner: DeviceProvider;
  readonly name: string;
  #running: Promise<readonly DeviceDescriptor[]> | undefined;

  constructor(inner: DeviceProvider) {
    this.inner = inner;
    this.name = inner.name;
  }

  enumerate(): Promise<readonly DeviceDescriptor[]> {
    if (!this.#running) {
      const run = this.inner.enumerate();
      this.#running = run;
      const clear = () => {
        if (this.#running === run) this.#running = undefined;
      };
      run.then(clear, clear);
    }
    return this.#running;
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
  readonly name = 'builtin';
  readonly builtin: BuiltinProvider;
  readonly #real: readonly DeviceProvider[];

  constructor(builtin: BuiltinProvider, real: readonly DeviceProvider[]) {
    this.builtin = builtin;
    this.#real = real;
  }

  async enumerate(): Promise<readonly DeviceDescriptor[]> {
    const [own, ...lists] = await Promise.all([this.builtin.enumerate(), ...this.#real.map((p) => p.enumerate().catch(() => []))]);
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
    (this.builtin as DeviceProvider).close?.();
  }
}
