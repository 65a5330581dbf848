/**
 * Changing the private PulseAudio server from tests: loading and unloading virtual devices.
 * Tests share the server with other test files running in parallel, so each test uses devices
 * with names of its own and removes them afterwards, and never unloads the shared ones
 * (mc_sine_440, mc_sine_1000, mc_null; see scripts/services.sh).
 */
import { runProgram } from '../../src/backends/common/process.js';

let counter = 0;

/** A device name no other test uses: `mc_<what>_<pid>_<n>`. */
export function uniqueName(what: string): string {
  return `mc_${what}_${process.pid}_${++counter}`;
}

export async function pactl(...args: string[]): Promise<string> {
  const { stdout } = await runProgram('pactl', args, { env: { ...process.env, LC_ALL: 'C' } });
  return stdout.toString('utf8');
}

/** Loads a module; returns its index, for unloadModule. */
export async function loadModule(name: string, ...args: string[]): Promise<number> {
  return Number((await pactl('load-module', name, ...args)).trim());
}

export async function unloadModule(index: number): Promise<void> {
  await pactl('unload-module', String(index));
}

/** Loads a sine source ("Sine source at <hz> Hz"); returns its module index. */
export function loadSineSource(sourceName: string, hz: number, rate = 48000): Promise<number> {
  return loadModule('module-sine-source', `source_name=${sourceName}`, `frequency=${hz}`, `rate=${rate}`);
}
