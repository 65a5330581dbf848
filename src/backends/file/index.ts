/** The file backend: media files as cameras and microphones (see provider.ts). */
export { FileProvider, type FileDeviceConfig, type FileProviderOptions } from './provider.js';
export type { FfmpegSource } from '../common/ffmpeg-source.js';
export { probeFile, parseProbe, parseRate, type ProbedFile, type ProbedVideo, type ProbedAudio } from './probe.js';
