/** The ALSA backend as the registry knows it (`alsa`). */
import { onPath } from '../common/process.js';
import { soundServerAnswers } from '../common/sound-server.js';
import type { DeviceBackendPlugin } from '../registry.js';
import { AlsaWithoutServer, hasSoundCards } from './fallback.js';
import { AlsaProvider } from './provider.js';

/**
 * `alsa`: the ALSA capture devices. Listed, always; chosen by `auto` where the kernel lists a
 * sound card, and then only while no sound server answers (fallback.ts).
 */
export const alsaBackend: DeviceBackendPlugin = {
  name: 'alsa',
  kinds: ['microphone'],
  autoDescription: 'alsa (without a sound server)',
  supports: (env) => env.has('sound-cards', () => hasSoundCards()),
  create: ({ env, auto }) => {
    if (!auto) return new AlsaProvider();
    // Without pactl no PulseAudio server can be asked, nor used: ALSA is all there is.
    const pactl = env.has('pactl', () => onPath('pactl', env.variables));
    return new AlsaWithoutServer(new AlsaProvider(), async () => pactl && soundServerAnswers(env.variables));
  },
};
