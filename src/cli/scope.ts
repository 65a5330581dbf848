/**
 * The global scope the command line captures in: a MediaDevices (our own, installed on a private
 * object, not on `globalThis`) with the machine's devices, configured from the environment.
 *
 * - `MEDIACAPTURE_BACKENDS`: the device backends (backends/select.ts), default "auto"; "builtin"
 *   when only MEDIACAPTURE_DEVICES is set.
 * - `MEDIACAPTURE_DEVICES`: JSON array of built-in device configurations (BuiltinDeviceConfig),
 *   replacing the default synthetic camera, microphone and speaker; `[]` means none. Two extra
 *   members make a device misbehave: `"failing": true` (or a message) makes it fail to start with
 *   NotReadableError, as a camera that another program holds; `"interrupted": true` starts it muted.
 * - `MEDIACAPTURE_PERMISSIONS`: the permission states, as `camera=denied,microphone=granted` or
 *   as JSON `{"camera":"denied"}`. Names: camera, microphone, display-capture; states: granted,
 *   denied, prompt. Unset names are granted: the person running the command is the one who
 *   would answer the prompt. "prompt" asks on the terminal (y/N), and is dismissed without one.
 */
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import type { BuiltinDeviceConfig } from '../backends/builtin/config.js';
import { FileProvider } from '../backends/file/provider.js';
import { BACKENDS_VARIABLE, BuiltinFallback } from '../backends/select.js';
import { installGlobals, type MediaCaptureHandle } from '../install.js';
import type { MediaDevices } from '../interfaces/MediaDevices.js';
import { MEDIA_PERMISSION_NAMES, type MediaPermissionName, type PermissionPrompt, type PermissionState } from '../scope/permissions.js';
import { CliError, EXIT } from './exit.js';

/** A built-in device as MEDIACAPTURE_DEVICES describes it. */
export interface CliDeviceConfig extends BuiltinDeviceConfig {
  /** Fail to start with NotReadableError (true, or the message to fail with). */
  failing?: boolean | string;
  /** Start interrupted: tracks are muted. */
  interrupted?: boolean;
}

/** The capture scope of one command. */
export interface CliScope {
  readonly mediaDevices: MediaDevices;
  readonly handle: MediaCaptureHandle;
  /** The device backends in use, e.g. ["pulse", "builtin (kinds without a real device)"]. */
  readonly backends: readonly string[];
  /** Stops every track and releases every device. */
  close(): void;
}

function configError(variable: string, message: string): CliError {
  return new CliError(EXIT.usage, `${variable} is not valid: ${message}. See 'mediacapture --help' (Environment).`);
}

/** Parses MEDIACAPTURE_DEVICES. Undefined when unset (the default devices). */
export function parseDevicesVariable(text: string | undefined): CliDeviceConfig[] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw configError('MEDIACAPTURE_DEVICES', `${(e as Error).message} (expected a JSON array such as [{"kind":"videoinput","label":"Desk camera"}])`);
  }
  if (!Array.isArray(value)) throw configError('MEDIACAPTURE_DEVICES', 'expected a JSON array of device configurations');
  value.forEach((d, i) => {
    if (typeof d !== 'object' || d === null || !['audioinput', 'videoinput', 'audiooutput'].includes((d as { kind?: unknown }).kind as string)) {
      throw configError('MEDIACAPTURE_DEVICES', `device ${i} needs "kind": "videoinput", "audioinput" or "audiooutput"`);
    }
  });
  return value as CliDeviceConfig[];
}

const STATES: readonly PermissionState[] = ['granted', 'denied', 'prompt'];

/** Parses MEDIACAPTURE_PERMISSIONS into explicit states. */
export function parsePermissionsVariable(text: string | undefined): Partial<Record<MediaPermissionName, PermissionState>> {
  if (text === undefined || text.trim() === '') return {};
  let entries: [string, unknown][];
  if (text.trim().startsWith('{')) {
    try {
      entries = Object.entries(JSON.parse(text) as object);
    } catch (e) {
      throw configError('MEDIACAPTURE_PERMISSIONS', (e as Error).message);
    }
  } else {
    entries = text.split(',').map((part) => {
      const [name, state, ...rest] = part.split('=').map((s) => s.trim());
      if (!name || state === undefined || rest.length > 0) throw configError('MEDIACAPTURE_PERMISSIONS', `"${part}" is not name=state`);
      return [name, state];
    });
  }
  const out: Partial<Record<MediaPermissionName, PermissionState>> = {};
  for (const [name, state] of entries) {
    if (!MEDIA_PERMISSION_NAMES.includes(name as MediaPermissionName)) {
      throw configError('MEDIACAPTURE_PERMISSIONS', `unknown permission "${name}" (expected ${MEDIA_PERMISSION_NAMES.join(', ')})`);
    }
    if (!STATES.includes(state as PermissionState)) {
      throw configError('MEDIACAPTURE_PERMISSIONS', `"${name}" must be granted, denied or prompt (got ${JSON.stringify(state)})`);
    }
    out[name as MediaPermissionName] = state as PermissionState;
  }
  return out;
}

/**
 * The device backends of the command line: MEDIACAPTURE_BACKENDS, else "auto" (the machine's real
 * devices, the built-in ones for the kinds it lacks) — also when the command runs under a test
 * runner, where installGlobals would otherwise choose the built-in devices. When only
 * MEDIACAPTURE_DEVICES is set, its built-in devices are all there is: that is what it is for.
 */
function backendList(env: NodeJS.ProcessEnv, configured: boolean): string {
  return env[BACKENDS_VARIABLE]?.trim() || (configured ? 'builtin' : 'auto');
}

/** What the installation draws devices and screens from, in words: "pulse", "builtin (kinds without a real device)", "x11". */
function describeBackends(handle: MediaCaptureHandle): string[] {
  return [
    ...handle.manager.providers.map((p) => (p instanceof BuiltinFallback ? 'builtin (kinds without a real device)' : p.name)),
    ...handle.manager.displays.map((p) => `${p.name} (screens)`),
  ];
}

/**
 * Asks on the terminal, as a browser's permission prompt would. Without a terminal nobody can
 * answer: the prompt is dismissed (getUserMedia rejects with NotAllowedError).
 */
async function askOnTerminal(prompt: PermissionPrompt): Promise<PermissionState> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return 'prompt';
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const devices = prompt.deviceLabels.length > 0 ? ` (${prompt.deviceLabels.join(', ')})` : '';
    const answer = await rl.question(`Allow use of the ${prompt.name}${devices}? [y/N] `);
    return /^y(es)?$/i.test(answer.trim()) ? 'granted' : 'denied';
  } finally {
    rl.close();
  }
}

/**
 * Every file the backend list names (`file:PATH`, `screen-file:PATH`) exists and is media: a
 * missing or unreadable one is a usage error naming it, not "no camera found" later.
 */
async function checkFileBackends(handle: MediaCaptureHandle): Promise<void> {
  const named = [
    ...handle.manager.providers.map((provider) => ({ provider, entry: 'file' })),
    ...handle.manager.displays.map((provider) => ({ provider, entry: 'screen-file' })),
  ];
  for (const { provider, entry } of named) {
    if (!(provider instanceof FileProvider)) continue;
    for (const { path } of provider.files) {
      try {
        if (!(await stat(path)).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
      } catch (e) {
        const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
        throw configError(BACKENDS_VARIABLE, `${entry}:${path} names a file that ${why}`);
      }
    }
    const devices = await provider.enumerate();
    for (const { path } of provider.files) {
      if (!devices.some((d) => d.rawId.startsWith(`${path}#`))) {
        throw configError(BACKENDS_VARIABLE, `${entry}:${path} is not a media file ffmpeg can read (ffprobe finds no audio or video stream in it)`);
      }
    }
  }
}

/** Opens the capture scope for one command, from `env`. */
export async function openScope(env: NodeJS.ProcessEnv = process.env): Promise<CliScope> {
  const devices = parseDevicesVariable(env.MEDIACAPTURE_DEVICES);
  const explicit = parsePermissionsVariable(env.MEDIACAPTURE_PERMISSIONS);
  const permissions: Partial<Record<MediaPermissionName, PermissionState>> = {
    camera: explicit.camera ?? 'granted',
    microphone: explicit.microphone ?? 'granted',
    // The screen-share spec does not let "granted" persist: the CLI answers each prompt instead.
    'display-capture': explicit['display-capture'] ?? 'prompt',
  };
  let handle: MediaCaptureHandle;
  try {
    handle = installGlobals({}, {
      ...(devices ? { devices: devices.map(({ failing: _f, interrupted: _i, ...config }) => config) } : {}),
      backends: backendList(env, devices !== undefined),
      permissions: {
        ...permissions,
        // A prompt the user asked for (MEDIACAPTURE_PERMISSIONS) is asked; any other prompt (display
        // capture) is granted: running the command with --screen is the user's answer.
        onPrompt: (prompt) => (explicit[prompt.name] === 'prompt' ? askOnTerminal(prompt) : 'granted'),
      },
    });
  } catch (e) {
    const message = (e as Error).message.replace(/\.$/, '');
    throw configError(/backend/i.test(message) ? BACKENDS_VARIABLE : 'MEDIACAPTURE_DEVICES', message);
  }
  try {
    await checkFileBackends(handle);
  } catch (e) {
    handle.uninstall();
    throw e;
  }
  // The built-in devices keep the configured order, so the i-th id is the i-th device's.
  devices?.forEach((d, i) => {
    const id = handle.devices.deviceIds[i]!;
    if (d.failing) handle.devices.setFailing(id, d.failing);
    if (d.interrupted) handle.devices.interrupt(id);
  });
  return {
    mediaDevices: handle.mediaDevices,
    handle,
    backends: describeBackends(handle),
    close: () => handle.uninstall(),
  };
}
