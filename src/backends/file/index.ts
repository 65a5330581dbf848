/**
 * The file backend: media files as cameras and microphones (see provider.ts), and the ffmpeg
 * raw-media source that the x11 and v4l2 backends share (see ffmpeg-source.ts).
 */
export { FileProvider, type FileDeviceConfig, type FileProviderOptions } from './provider.js';
export { FfmpegSource, ffmpegOutput, AUDIO_CHUNK_MS, type FfmpegSourceOptions, type Pacing } from './ffmpeg-source.js';
export { probeFile, parseProbe, parseRate, type ProbedFile, type ProbedVideo, type ProbedAudio } from './probe.js';
export { ByteChunker } from './chunker.js';
export { CaptureTimes, parseShowinfo, SHOWINFO_ARGS, type ShowinfoLine } from './capture-times.js';
