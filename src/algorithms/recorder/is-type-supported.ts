/**
 * "is type supported" (MediaStream Recording §2.3, https://w3c.github.io/mediacapture-record/#dom-mediarecorder-istypesupported,
 * under `isTypeSupported`), answered from what the registered encoder backends can really do.
 */
import { availableEncoderBackends } from './encoder.js';
import { codecOfIdentifier, containerFormat, isSynchronouslyExposed, type AudioCodec, type CodecRef, type ContainerFormat, type VideoCodec } from './formats.js';
import { essence, parseMimeType, type MimeType } from './mime-type.js';

/**
 * The codec strings of a MIME type's `codecs` parameter: "strictly split on ','" (step 4), each
 * with surrounding whitespace removed, as RFC 6381 writes them with a space after the comma
 * (`codecs="avc1.42E01E, mp4a.40.2"`) and every browser accepts that.
 */
export function codecStrings(mime: MimeType): string[] {
  const codecs = mime.parameters.get('codecs');
  if (codecs === undefined) return [];
  return codecs.split(',').map((s) => s.trim());
}

/** Step 7.1: the ASCII lowercase of the part before the first ".". */
export function codecIdentifier(codecString: string): string {
  return codecString.split('.')[0]!.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** Whether some available backend writes `format`'s container with this codec (and nothing of the other kind). */
function backendSupports(format: ContainerFormat, video: VideoCodec | null, audio: AudioCodec | null): boolean {
  return availableEncoderBackends().some((b) => b.supports(format.container, video, audio));
}

/** Step 3: whether the container is writable here with at least one of its codecs. */
function supportsContainer(format: ContainerFormat): boolean {
  return format.videoCodecs.some((v) => backendSupports(format, v, null)) || format.audioCodecs.some((a) => backendSupports(format, null, a));
}

/** Step 8.1: whether the codec is supported in this container. */
function supportsCodecIn(format: ContainerFormat, ref: CodecRef | undefined): boolean {
  if (!ref) return false;
  if (ref.kind === 'video') return format.videoCodecs.includes(ref.codec) && backendSupports(format, ref.codec, null);
  return format.audioCodecs.includes(ref.codec) && backendSupports(format, null, ref.codec);
}

/**
 * "is type supported" given a type and deferNewerCodecsCheck.
 *
 * One addition to the spec: where no encoder backend is available at all (no ffmpeg), the UA
 * cannot record anything, so the empty type is not supported either.
 */
export function isTypeSupported(type: string, deferNewerCodecsCheck: boolean): boolean {
  if (availableEncoderBackends().length === 0) return false;
  // 1.
  if (type === '') return true;
  // 2.
  const mime = parseMimeType(type);
  if (mime === null) return false;
  // 3.
  const format = containerFormat(essence(mime));
  if (!format || !supportsContainer(format)) return false;
  // 4.
  const strings = codecStrings(mime);
  // 6.–7.
  const identifiers = strings.map(codecIdentifier);
  // 5. (needs the identifiers to tell audio from video codecs)
  const refs = identifiers.map(codecOfIdentifier);
  if (refs.filter((r) => r?.kind === 'audio').length > 1 || refs.filter((r) => r?.kind === 'video').length > 1) return false;
  // 8.
  for (let i = 0; i < identifiers.length; i++) {
    if (!isSynchronouslyExposed(identifiers[i]!)) continue;
    // 8.1.
    if (!supportsCodecIn(format, refs[i])) return false;
  }
  // 9.
  if (identifiers.some((id) => !isSynchronouslyExposed(id))) return deferNewerCodecsCheck;
  // 10.
  return true;
}
