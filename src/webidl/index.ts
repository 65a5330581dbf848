/**
 * WebIDL (https://webidl.spec.whatwg.org/): every conversion the package's IDL classes and
 * dictionaries need, keyed by IDL type name, and the helpers that make them.
 *
 * The lowest layer: it imports nothing from the rest of the package. The IDL classes above add
 * their brand checks (interface-types.ts).
 *
 * @example
 * // In an IDL class: brand check, WebIDL conversion, one algorithm call.
 * start(timeslice?: number): void {
 *   if (!(#recorder in this)) throw illegalInvocation('MediaRecorder', 'start');
 *   const ts = timeslice === undefined ? undefined : converters['unsigned long'](timeslice, "Failed to execute 'start' on 'MediaRecorder': timeslice");
 *   this.#recorder.start(ts);
 * }
 */
import { toAllowSharedBufferSource, toArrayBuffer, toBufferSource } from './buffer-source.js';
import * as constraints from './constraints.js';
import {
  toAny,
  toBoolean,
  toClampedUnsignedLong,
  toDOMString,
  toDouble,
  toEnforcedLongLong,
  toEnforcedUnsignedLong,
  toEnforcedUnsignedLongLong,
  toEnforcedUnsignedShort,
  toFloat,
  toLong,
  toLongLong,
  toUnrestrictedDouble,
  toUnsignedLong,
  toUnsignedLongLong,
  toUSVString,
} from './converters.js';
import { ErrorEventInit, EventInit } from './events.js';
import { DOMRectInit } from './geometry.js';
import { interfaceType } from './interface-types.js';
import { DeviceChangeEventInit, MediaStreamTrackEventInit } from './media-capture.js';
import { PermissionDescriptor, PermissionName } from './permissions.js';
import { BitrateMode, BlobEventInit, MediaRecorderOptions } from './recording.js';
import { DisplayMediaStreamOptions } from './screen-capture.js';
import { MediaStreamTrackGeneratorInit, MediaStreamTrackProcessorInit } from './transform.js';
import * as webcodecs from './webcodecs.js';

export { type Converter, typeError, enumeration, nullable, sequence, toSequence } from './converters.js';
export { dictionary, type Dictionary, type Member, type Members } from './dictionary.js';
export { alsoImplements, interfaceType, registerInterface, type InterfaceType, type InterfaceTypes } from './interface-types.js';
export { promiseOperation } from './operations.js';

/** The converter of each IDL type the package uses, by its IDL name (extended attributes included). */
export const converters = {
  // Primitive and string types.
  any: toAny,
  boolean: toBoolean,
  DOMString: toDOMString,
  USVString: toUSVString,
  double: toDouble,
  'unrestricted double': toUnrestrictedDouble,
  float: toFloat,
  long: toLong,
  'unsigned long': toUnsignedLong,
  'long long': toLongLong,
  'unsigned long long': toUnsignedLongLong,
  '[EnforceRange] unsigned short': toEnforcedUnsignedShort,
  '[EnforceRange] unsigned long': toEnforcedUnsignedLong,
  '[EnforceRange] long long': toEnforcedLongLong,
  '[EnforceRange] unsigned long long': toEnforcedUnsignedLongLong,
  '[Clamp] unsigned long': toClampedUnsignedLong,
  // Buffer types.
  ArrayBuffer: toArrayBuffer,
  BufferSource: toBufferSource,
  AllowSharedBufferSource: toAllowSharedBufferSource,
  // Interface types (each IDL class registers its brand check).
  Blob: interfaceType('Blob'),
  MediaDeviceInfo: interfaceType('MediaDeviceInfo'),
  MediaStream: interfaceType('MediaStream'),
  MediaStreamTrack: interfaceType('MediaStreamTrack'),
  // DOM and HTML.
  EventInit,
  ErrorEventInit,
  DOMRectInit,
  // Media Capture and Streams, Screen Capture.
  ConstrainBoolean: constraints.ConstrainBoolean,
  ConstrainBooleanOrDOMString: constraints.ConstrainBooleanOrDOMString,
  ConstrainDOMString: constraints.ConstrainDOMString,
  ConstrainDouble: constraints.ConstrainDouble,
  ConstrainULong: constraints.ConstrainULong,
  ConstrainBooleanParameters: constraints.ConstrainBooleanParameters,
  ConstrainBooleanOrDOMStringParameters: constraints.ConstrainBooleanOrDOMStringParameters,
  ConstrainDOMStringParameters: constraints.ConstrainDOMStringParameters,
  ConstrainDoubleRange: constraints.ConstrainDoubleRange,
  ConstrainULongRange: constraints.ConstrainULongRange,
  DoubleRange: constraints.DoubleRange,
  ULongRange: constraints.ULongRange,
  MediaTrackConstraintSet: constraints.MediaTrackConstraintSet,
  MediaTrackConstraints: constraints.MediaTrackConstraints,
  MediaStreamConstraints: constraints.MediaStreamConstraints,
  MediaStreamTrackEventInit,
  DeviceChangeEventInit,
  DisplayMediaStreamOptions,
  // Permissions.
  PermissionName,
  PermissionDescriptor,
  // MediaStream Recording.
  BitrateMode,
  MediaRecorderOptions,
  BlobEventInit,
  // Insertable media processing.
  MediaStreamTrackProcessorInit,
  MediaStreamTrackGeneratorInit,
  // WebCodecs.
  AlphaOption: webcodecs.AlphaOption,
  AudioSampleFormat: webcodecs.AudioSampleFormat,
  PredefinedColorSpace: webcodecs.PredefinedColorSpace,
  VideoColorPrimaries: webcodecs.VideoColorPrimaries,
  VideoMatrixCoefficients: webcodecs.VideoMatrixCoefficients,
  VideoPixelFormat: webcodecs.VideoPixelFormat,
  VideoTransferCharacteristics: webcodecs.VideoTransferCharacteristics,
  PlaneLayout: webcodecs.PlaneLayout,
  VideoColorSpaceInit: webcodecs.VideoColorSpaceInit,
  VideoFrameMetadata: webcodecs.VideoFrameMetadata,
  VideoFrameBufferInit: webcodecs.VideoFrameBufferInit,
  VideoFrameInit: webcodecs.VideoFrameInit,
  VideoFrameCopyToOptions: webcodecs.VideoFrameCopyToOptions,
  AudioDataInit: webcodecs.AudioDataInit,
  AudioDataCopyToOptions: webcodecs.AudioDataCopyToOptions,
} as const;
