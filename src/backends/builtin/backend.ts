/** The built-in backends: synthetic devices (`builtin`) and a synthetic screen (`builtin-screen`). */
import type { DeviceBackendPlugin } from '../registry.js';
import { BuiltinProvider } from './provider.js';
import { SyntheticScreen } from './screen.js';

/**
 * The built-in synthetic camera, microphone and speaker. One set per installation, which
 * configures it (`devices`, `clock`) and controls it (plug, unplug, fail); `auto` uses it for
 * the kinds no real backend has.
 */
export const builtinBackend: DeviceBackendPlugin = {
  name: 'builtin',
  kinds: ['camera', 'microphone', 'speaker'],
  auto: false,
  scope: 'installation',
  supports: () => true,
  create: () => new BuiltinProvider(),
};

/** The built-in test pattern as a screen, for getDisplayMedia where there is no display. Listed only. */
export const builtinScreenBackend: DeviceBackendPlugin = {
  name: 'builtin-screen',
  kinds: ['display'],
  auto: false,
  supports: () => true,
  create: () => new SyntheticScreen(),
};
