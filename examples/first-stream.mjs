// Gets a stream from the camera and microphone (the built-in synthetic ones where the machine has
// none) and prints each track's settings — the same code a web page would run.
import 'mediacapture/global';

const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 }, audio: true });
for (const track of stream.getTracks()) {
  console.log(`${track.kind}: ${track.label}`);
  console.log(track.getSettings());
  track.stop();
}
