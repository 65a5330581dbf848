/** The PulseAudio backend as the registry knows it (`pulse`). */
import { onPath } from '../common/process.js';
import type { DeviceBackendPlugin } from '../registry.js';
import { PulseProvider } from './provider.js';

/**
 * `pulse`: the microphones and speakers of the PulseAudio (or pipewire-pulse) server. `auto`
 * uses it where `pactl` is installed; a server that does not answer lists nothing.
 */
export const pulseBackend: DeviceBackendPlugin = {
  name: 'pulse',
  kinds: ['microphone', 'speaker'],
  supports: (env) => env.has('pactl', () => onPath('pactl', env.variables)),
  create: ({ env }) => new PulseProvider({ env: () => env.variables }),
};
