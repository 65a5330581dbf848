// Reading frames and samples from tracks with MediaStreamTrackProcessor (MDN: "Insertable streams
// for MediaStreamTrack API"), in Node.
//
// Each track becomes a ReadableStream of WebCodecs objects: VideoFrames from the camera, AudioData
// from the microphone. Whoever reads one owns it and must close() it. This reads a second of each
// and prints what it sees: each frame's size, timestamp and mean brightness, and the microphone's
// level.
//
//   node examples/read-frames.mjs [frames]
import 'mediacapture/global';

const frames = Number(process.argv[2] ?? 30);
const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240, frameRate: 30 }, audio: true });
const [video] = stream.getVideoTracks();
const [audio] = stream.getAudioTracks();

async function readVideo() {
  const reader = new MediaStreamTrackProcessor({ track: video }).readable.getReader();
  for (let i = 0; i < frames; i++) {
    const { value: frame, done } = await reader.read();
    if (done) break;
    // The frame is I420: its first plane is the brightness (luma) of each pixel.
    const pixels = new Uint8Array(frame.allocationSize());
    const [luma] = await frame.copyTo(pixels);
    let sum = 0;
    for (let y = 0; y < frame.codedHeight; y++) {
      for (let x = 0; x < frame.codedWidth; x++) sum += pixels[luma.offset + y * luma.stride + x];
    }
    const brightness = sum / (frame.codedWidth * frame.codedHeight);
    console.log(`frame ${i}: ${frame.format} ${frame.codedWidth}x${frame.codedHeight} at ${(frame.timestamp / 1000).toFixed(1)} ms, mean luma ${brightness.toFixed(1)}`);
    frame.close();
  }
  await reader.cancel(); // stop reading: the processor lets go of the track
}

async function readAudio() {
  const reader = new MediaStreamTrackProcessor({ track: audio }).readable.getReader();
  let samples = 0;
  let sumOfSquares = 0;
  let sampleRate = 0;
  // About one second of sound.
  while (sampleRate === 0 || samples < sampleRate) {
    const { value: data, done } = await reader.read();
    if (done) break;
    sampleRate = data.sampleRate;
    const channel = new Float32Array(data.numberOfFrames);
    data.copyTo(channel, { planeIndex: 0, format: 'f32-planar' });
    for (const s of channel) sumOfSquares += s * s;
    samples += data.numberOfFrames;
    data.close();
  }
  await reader.cancel();
  const rms = Math.sqrt(sumOfSquares / samples);
  console.log(`audio: ${samples} samples at ${sampleRate} Hz, level ${(20 * Math.log10(rms)).toFixed(1)} dBFS`);
}

await Promise.all([readVideo(), readAudio()]);
for (const track of stream.getTracks()) track.stop();
