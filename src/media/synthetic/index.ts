/** The built-in devices' content: the camera's test pattern and frame code, the microphone's tone. */
export { TestPattern, i420Layout, testPatternCaption, type I420Layout, type PixelRect } from './test-pattern.js';
export {
  decodeFrameNumber,
  frameCodeBlocks,
  FRAME_CODE_BITS,
  FRAME_CODE_MODULUS,
  FRAME_CODE_COLUMNS,
  FRAME_CODE_ROWS,
  FRAME_CODE_REGION,
  FRAME_CODE_QUIET_ZONE,
  type FrameCodeImage,
  type FrameCodeLumaPlane,
  type DecodeFrameNumberOptions,
  type LumaFirstFormat,
  type RgbFormat,
} from './frame-code.js';
export { ToneGenerator, DEFAULT_TONE_FREQUENCY, DEFAULT_TONE_AMPLITUDE, type ToneOptions, type NoiseType } from './tone.js';
export { glyphRows, GLYPH_WIDTH, GLYPH_HEIGHT } from './font.js';
