/**
 * What the tests know about the private test services (see test/setup/services.ts).
 *
 *   const pulse = pulseService();
 *   describe.skipIf(pulse.skip)('…', () => {
 *     beforeAll(() => pulse.require());
 *     …
 *   });
 *
 * `skip` is true only when the programs are not installed on a developer's machine. In CI, or
 * when they are installed but did not start, the tests run and `require()` fails them with the
 * reason.
 */
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import type { MediacaptureServices, ServiceStatus } from '../setup/services.js';

export interface ServiceHandle {
  /** Skip the tests that need this service (not installed, and not in CI). */
  readonly skip: boolean;
  readonly status: ServiceStatus;
  /** Throws, with the reason, unless the service runs. Call it in beforeAll. */
  require(): void;
}

function services(): MediacaptureServices | undefined {
  return inject('mediacaptureServices');
}

function handle(name: string, status: ServiceStatus, required: boolean): ServiceHandle {
  return {
    skip: status.state === 'not-installed' && !required,
    status,
    require() {
      if (status.state !== 'running') throw new Error(`${name} is needed by these tests but ${status.state}: ${status.detail}`);
    },
  };
}

const servicesDir = (): string => process.env.MC_SERVICES_DIR ?? '/tmp/mediacapture-services';

/**
 * Without the globalSetup (not in vitest.config.ts): the environment, e.g. after
 * `eval "$(scripts/services.sh env)"` as .ci/run does, but only where it points at the private
 * services; a desktop session's PULSE_SERVER or DISPLAY is never used for tests.
 */
function fromEnvironment(variable: 'PULSE_SERVER' | 'DISPLAY'): ServiceStatus {
  const value = process.env[variable];
  let expected: string | undefined;
  if (variable === 'PULSE_SERVER') expected = `unix:${servicesDir()}/runtime/pulse/native`;
  else {
    try {
      expected = readFileSync(`${servicesDir()}/xvfb.display`, 'utf8').trim();
    } catch {
      expected = undefined;
    }
  }
  if (value && value === expected) return { state: 'running', detail: `${variable}=${value} (from the environment)` };
  return {
    state: 'failed',
    detail:
      `test/setup/services.ts is not a globalSetup in vitest.config.ts, and ${variable} ` +
      (value ? `(${value}) is not the one of scripts/services.sh` : 'is not set') +
      ': run `eval "$(scripts/services.sh env)"` after `scripts/services.sh start`',
  };
}

const ciRequired = (): boolean => {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
};

/** The private PulseAudio server (PULSE_SERVER is set in process.env when it runs). */
export function pulseService(): ServiceHandle {
  const s = services();
  return handle('PulseAudio', s?.pulse ?? fromEnvironment('PULSE_SERVER'), s?.required ?? ciRequired());
}

/** The Xvfb display (DISPLAY is set in process.env when it runs). */
export function x11Service(): ServiceHandle {
  const s = services();
  return handle('Xvfb', s?.x11 ?? fromEnvironment('DISPLAY'), s?.required ?? ciRequired());
}
