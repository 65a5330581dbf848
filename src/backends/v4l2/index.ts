/** The V4L2 backend: cameras from /dev/video* (see provider.ts). */
export { V4l2Provider, v4l2Input, queryWithV4l2Ctl, type V4l2ProviderOptions } from './provider.js';
export {
  parseV4l2Info,
  videoModesOf,
  FFMPEG_INPUT_FORMATS,
  ASSUMED_FRAME_RATE,
  type V4l2DeviceInfo,
  type V4l2Format,
  type V4l2Size,
  type V4l2Interval,
} from './formats.js';
