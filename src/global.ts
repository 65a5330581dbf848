/**
 * `import 'mediacapture/global'` installs the Media Capture and Streams API on `globalThis`:
 * the interface globals and `navigator.mediaDevices` with the built-in synthetic devices.
 * A native implementation already present is kept.
 */
import { installGlobals } from './install.js';

/** The controls of the global installation: devices, permissions, uninstall. */
export const mediacapture = installGlobals(globalThis);
