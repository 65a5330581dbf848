// Recording the camera and microphone (MDN: "Using the MediaStream Recording API"), in Node.
//
// The same code as on a web page: getUserMedia, a MediaRecorder, the `dataavailable` chunks
// collected into one Blob when `stop` fires. A page would offer the Blob as a download; here it
// goes into a file, which any player (or ffprobe) opens.
//
//   node examples/record.mjs [recording.webm] [seconds]
import 'mediacapture/global';
import { writeFile } from 'node:fs/promises';

const [out = 'recording.webm', seconds = '5'] = process.argv.slice(2);

const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });

// The first format this machine can record (what MediaRecorder can encode depends on its ffmpeg).
const mimeType = ['video/webm;codecs=vp9,opus', 'video/webm;codecs=vp8,opus', 'video/webm'].find((type) => MediaRecorder.isTypeSupported(type));
const recorder = new MediaRecorder(stream, { mimeType });

const chunks = [];
recorder.ondataavailable = (event) => chunks.push(event.data);
const stopped = new Promise((resolve, reject) => {
  recorder.onstop = resolve;
  recorder.onerror = (event) => reject(event.error);
});

recorder.start();
console.log(`Recording ${recorder.mimeType} for ${seconds} s…`);
setTimeout(() => recorder.stop(), Number(seconds) * 1000);
await stopped; // the last chunk has arrived

for (const track of stream.getTracks()) track.stop();
const blob = new Blob(chunks, { type: recorder.mimeType });
await writeFile(out, Buffer.from(await blob.arrayBuffer()));
console.log(`${out}: ${blob.size} bytes of ${blob.type}`);
