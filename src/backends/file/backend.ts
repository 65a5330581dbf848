/** The file backends: a media file as a camera and microphone (`file:PATH`) or as a screen (`screen-file:PATH`). */
import type { DeviceBackendPlugin } from '../registry.js';
import { FileProvider } from './provider.js';

/** `file:PATH`: the file's video as a camera, its audio as a microphone. Listed only, once per file. */
export const fileBackend: DeviceBackendPlugin = {
  name: 'file',
  kinds: ['camera', 'microphone'],
  argument: { name: 'path', required: true },
  auto: false,
  supports: () => true,
  create: ({ argument }) => new FileProvider([argument ?? '']),
};

/** `screen-file:PATH`: the file's video as a screen for getDisplayMedia. Listed only, once per file. */
export const screenFileBackend: DeviceBackendPlugin = {
  name: 'screen-file',
  kinds: ['display'],
  argument: { name: 'path', required: true },
  auto: false,
  supports: () => true,
  create: ({ argument = '' }) => new FileProvider([{ path: argument, audio: false, label: `Screen (${argument})` }]),
};
