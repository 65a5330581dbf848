/** The X11 backend as the registry knows it (`x11`, `x11:DISPLAY`). */
import type { DeviceBackendPlugin } from '../registry.js';
import { X11DisplayProvider } from './provider.js';

/** `x11`, `x11:DISPLAY`: the screens of an X display for getDisplayMedia. `auto` uses it where DISPLAY is set. */
export const x11Backend: DeviceBackendPlugin = {
  name: 'x11',
  kinds: ['display'],
  argument: { name: 'display', required: false },
  supports: (env) => X11DisplayProvider.supports(env.variables),
  create: ({ env, argument }) => new X11DisplayProvider({ env: () => env.variables, ...(argument ? { display: argument } : {}) }),
};
