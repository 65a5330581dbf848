/** The V4L2 backend as the registry knows it (`v4l2`). */
import { readdirSync } from 'node:fs';
import type { DeviceBackendPlugin } from '../registry.js';
import { V4l2Provider } from './provider.js';

/** Whether /dev has video nodes (synchronous, for backend selection). */
export function hasVideoNodes(devRoot = '/dev'): boolean {
  try {
    return readdirSync(devRoot).some((f) => /^video\d+$/.test(f));
  } catch {
    return false;
  }
}

/** `v4l2`: the cameras of /dev/video*. `auto` uses it where such nodes exist. */
export const v4l2Backend: DeviceBackendPlugin = {
  name: 'v4l2',
  kinds: ['camera'],
  supports: (env) => env.has('video-nodes', () => hasVideoNodes()),
  create: () => new V4l2Provider(),
};
