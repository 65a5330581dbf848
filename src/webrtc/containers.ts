/**
 * The two small containers the receiving side feeds its ffmpeg decoders with: IVF for VP8 frames
 * and Ogg for Opus packets. A depacketized RTP stream is a sequence of whole codec frames with no
 * framing of their own; ffmpeg reads codec frames only from a container, and these two are the
 * simplest it demuxes with no probing delay (each frame is complete when its bytes are written).
 *
 * IVF: https://wiki.multimedia.cx/index.php/IVF (32-byte file header, 12-byte frame header).
 * Ogg: RFC 3533 (pages, CRC-32 poly 0x04c11db7); Opus in Ogg: RFC 7845 (OpusHead, OpusTags,
 * granule position in 48 kHz samples).
 */

/** The IVF file header of a VP8 stream of `width`×`height` with a 90 kHz time base (RTP's). */
export function ivfHeader(width: number, height: number): Uint8Array {
  const out = new Uint8Array(32);
  const view = new DataView(out.buffer);
  out.set([0x44, 0x4b, 0x49, 0x46], 0); // "DKIF"
  view.setUint16(4, 0, true); // version
  view.setUint16(6, 32, true); // header size
  out.set([0x56, 0x50, 0x38, 0x30], 8); // "VP80"
  view.setUint16(12, width, true);
  view.setUint16(14, height, true);
  view.setUint32(16, 90000, true); // time base denominator
  view.setUint32(20, 1, true); // time base numerator
  view.setUint32(24, 0, true); // frame count: unknown (live)
  return out;
}

/** The 12-byte IVF header before a frame of `size` bytes at `pts` (90 kHz units). */
export function ivfFrameHeader(size: number, pts: number): Uint8Array {
  const out = new Uint8Array(12);
  const view = new DataView(out.buffer);
  view.setUint32(0, size, true);
  view.setBigUint64(4, BigInt(Math.max(0, Math.round(pts))), true);
  return out;
}

/**
 * The picture size a VP8 key frame declares (RFC 6386 §9.1: a 3-byte frame tag, the start code
 * 9d 01 2a, then 14-bit width and height), or null for an inter frame or a damaged one.
 */
export function vp8KeyFrameSize(frame: Uint8Array): { width: number; height: number } | null {
  if (frame.byteLength < 10 || (frame[0]! & 1) !== 0) return null;
  if (frame[3] !== 0x9d || frame[4] !== 0x01 || frame[5] !== 0x2a) return null;
  const width = (frame[6]! | (frame[7]! << 8)) & 0x3fff;
  const height = (frame[8]! | (frame[9]! << 8)) & 0x3fff;
  return width > 0 && height > 0 ? { width, height } : null;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

function oggCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < bytes.length; i++) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ bytes[i]!) & 0xff]!) >>> 0;
  return crc;
}

/** Writes one logical Ogg stream of Opus packets, one packet per page (so each is readable at once). */
export class OggOpusWriter {
  readonly #serial = (Math.random() * 0xffffffff) >>> 0;
  #sequence = 0;

  /** The first two pages: OpusHead (RFC 7845 §5.1) and OpusTags (§5.2). */
  header(channels: number): Uint8Array {
    const head = new Uint8Array(19);
    const view = new DataView(head.buffer);
    head.set([0x4f, 0x70, 0x75, 0x73, 0x48, 0x65, 0x61, 0x64], 0); // "OpusHead"
    head[8] = 1; // version
    head[9] = channels;
    view.setUint16(10, 0, true); // pre-skip: none, the stream is live
    view.setUint32(12, 48000, true); // input sample rate (informational)
    view.setUint16(16, 0, true); // output gain
    head[18] = 0; // channel mapping family 0: mono or stereo
    const vendor = new TextEncoder().encode('mediacapture');
    const tags = new Uint8Array(8 + 4 + vendor.length + 4);
    tags.set([0x4f, 0x70, 0x75, 0x73, 0x54, 0x61, 0x67, 0x73], 0); // "OpusTags"
    new DataView(tags.buffer).setUint32(8, vendor.length, true);
    tags.set(vendor, 12);
    const first = this.page(head, 0, 0x02);
    const second = this.page(tags, 0, 0);
    const out = new Uint8Array(first.length + second.length);
    out.set(first, 0);
    out.set(second, first.length);
    return out;
  }

  /** A page holding one packet, ending at `granule` (48 kHz samples since the start). */
  page(packet: Uint8Array, granule: number, headerType = 0): Uint8Array {
    const segments: number[] = [];
    let left = packet.length;
    while (left >= 255) {
      segments.push(255);
      left -= 255;
    }
    segments.push(left);
    const out = new Uint8Array(27 + segments.length + packet.length);
    const view = new DataView(out.buffer);
    out.set([0x4f, 0x67, 0x67, 0x53], 0); // "OggS"
    out[4] = 0; // version
    out[5] = headerType;
    view.setBigUint64(6, BigInt(Math.max(0, Math.round(granule))), true);
    view.setUint32(14, this.#serial, true);
    view.setUint32(18, this.#sequence++, true);
    out[26] = segments.length;
    out.set(segments, 27);
    out.set(packet, 27 + segments.length);
    view.setUint32(22, oggCrc(out), true);
    return out;
  }
}

/**
 * The duration of an Opus packet in 48 kHz samples (RFC 6716 §3.1: the TOC byte's configuration
 * gives the frame size, its code the number of frames), or 960 (20 ms) when it cannot be read.
 */
export function opusPacketSamples(packet: Uint8Array): number {
  if (packet.length < 1) return 960;
  const toc = packet[0]!;
  const config = toc >> 3;
  let frame: number;
  if (config < 12) frame = [480, 960, 1920, 2880][config & 3]!;
  else if (config < 16) frame = [480, 960][config & 1]!;
  else frame = [120, 240, 480, 960][config & 3]!;
  const code = toc & 3;
  const count = code === 0 ? 1 : code === 3 ? (packet[1] ?? 0) & 0x3f : 2;
  return frame * Math.max(1, count);
}
