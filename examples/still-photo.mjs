// Taking still photos (MDN: "Taking still photos with getUserMedia()"), in Node.
//
// A web page shows the camera in a <video>, draws one frame onto a <canvas> and saves
// canvas.toDataURL('image/png'). Here there is no canvas: MediaStreamTrackProcessor hands over the
// camera's frames as WebCodecs VideoFrames, VideoFrame.copyTo() converts one to RGBA pixels, and a
// few lines of node:zlib write them as a PNG.
//
//   node examples/still-photo.mjs [photo.png] [width] [height]
import 'mediacapture/global';
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const [out = 'photo.png', width = '640', height = '480'] = process.argv.slice(2);

// 1. Ask for the camera at the size of the photo.
const stream = await navigator.mediaDevices.getUserMedia({ video: { width: Number(width), height: Number(height) } });
const [track] = stream.getVideoTracks();

// 2. Take one frame ("draw the video onto the canvas").
const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
const { value: frame } = await reader.read();
const { width: w, height: h } = frame.visibleRect;
const rgba = new Uint8Array(frame.allocationSize({ format: 'RGBA' }));
await frame.copyTo(rgba, { format: 'RGBA' });
frame.close();
track.stop(); // the camera is released: its light goes off

// 3. Save it ("canvas.toDataURL('image/png')").
writeFileSync(out, png(rgba, w, h));
console.log(`${out}: ${w}x${h} from "${track.label}"`);

/** A minimal PNG encoder: 8-bit RGBA, no filtering, one zlib stream. */
function png(pixels, width, height) {
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) rows.set(pixels.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8 bits per sample, RGBA, deflate, filter method 0, no interlace
  return Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function crc32(bytes) {
  let c = ~0;
  for (const byte of bytes) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return ~c >>> 0;
}
