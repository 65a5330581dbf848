/**
 * Vitest globalSetup: makes sure the private PulseAudio server and Xvfb display of
 * scripts/services.sh run, and points the tests at them.
 *
 * - If they already run (.ci/run started them, or a previous run left them), they are used and
 *   left running.
 * - Otherwise they are started for this run and stopped at its end.
 * - A service whose program is not installed is reported as "not-installed": tests that need it
 *   are skipped locally, but fail in CI (CI set), where a missing service is a broken machine.
 *
 * The environment (PULSE_SERVER, PULSE_COOKIE, XDG_RUNTIME_DIR, DISPLAY) is set on process.env
 * here, which the test workers inherit (checked with vitest 4.1, forks and threads pools), so
 * backends that spawn pactl, parec or ffmpeg reach the private servers without being told.
 * The same facts go to the tests through `inject('mediacaptureServices')`; see
 * test/helpers/services.ts.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

export type ServiceState = 'running' | 'not-installed' | 'failed';

export interface ServiceStatus {
  readonly state: ServiceState;
  /** What went wrong, or where it runs. */
  readonly detail: string;
}

export interface MediacaptureServices {
  readonly pulse: ServiceStatus & { readonly server?: string };
  readonly x11: ServiceStatus & { readonly display?: string };
  /** True in CI: a service that is not running is a failure there, not a reason to skip. */
  readonly required: boolean;
}

declare module 'vitest' {
  export interface ProvidedContext {
    mediacaptureServices: MediacaptureServices;
  }
}

const SCRIPT = fileURLToPath(new URL('../../scripts/services.sh', import.meta.url));

function onPath(program: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

function script(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    execFile('bash', [SCRIPT, command], { timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolvePromise({ code, stdout, stderr });
    });
  });
}

function parseExports(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split('\n')) {
    // printf %q leaves plain paths and ":99" unquoted; nothing here needs unescaping.
    const m = /^export ([A-Z_]+)=(.*)$/.exec(line);
    if (m) vars[m[1]!] = m[2]!;
  }
  return vars;
}

export function inCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const required = inCi();
  const alreadyRunning = (await script('status')).code === 0;
  let startLog = '';
  let startFailed = false;
  if (!alreadyRunning) {
    const started = await script('start');
    startLog = started.stderr.trim();
    startFailed = started.code !== 0;
  }
  const vars = parseExports((await script('env')).stdout);
  Object.assign(process.env, vars);

  const status = (name: string, binaries: string[], running: boolean, where: string | undefined): ServiceStatus => {
    if (running) return { state: 'running', detail: where ?? '' };
    const missing = binaries.filter((b) => !onPath(b));
    if (missing.length) return { state: 'not-installed', detail: `${missing.join(', ')} not installed` };
    return {
      state: 'failed',
      detail: `${name} did not start${startFailed ? '' : ' (no error reported)'}: ${startLog || 'see scripts/services.sh status'}`,
    };
  };
  const services: MediacaptureServices = {
    pulse: {
      ...status('pulseaudio', ['pulseaudio', 'pactl', 'parec'], vars.PULSE_SERVER !== undefined, vars.PULSE_SERVER),
      ...(vars.PULSE_SERVER ? { server: vars.PULSE_SERVER } : {}),
    },
    x11: {
      ...status('Xvfb', ['Xvfb', 'xset'], vars.DISPLAY !== undefined, vars.DISPLAY),
      ...(vars.DISPLAY ? { display: vars.DISPLAY } : {}),
    },
    required,
  };
  project.provide('mediacaptureServices', services);

  return async () => {
    if (!alreadyRunning) await script('stop');
  };
}
