// The constraint exerciser (MDN: "Capabilities, constraints, and settings"), in Node.
//
// Opens the camera and the microphone, shows what they can do (getCapabilities), then applies a
// series of constraints to the live tracks with applyConstraints(), printing the settings each one
// gives, or the OverconstrainedError and the constraint it names.
//
//   node examples/constraint-exerciser.mjs ['<video MediaTrackConstraints JSON>' ...]
import 'mediacapture/global';

const supported = navigator.mediaDevices.getSupportedConstraints();
console.log('Supported constraints:', Object.keys(supported).filter((name) => supported[name]).join(', '));

const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
const [video] = stream.getVideoTracks();
const [audio] = stream.getAudioTracks();
console.log(`\nCamera "${video.label}" can do:`, video.getCapabilities());
console.log(`Microphone "${audio.label}" can do:`, audio.getCapabilities());

const videoAttempts = process.argv.length > 2
  ? process.argv.slice(2).map((text) => JSON.parse(text))
  : [
      { width: 1280, height: 720 },
      { width: { min: 640, ideal: 1920 }, frameRate: { max: 15 } },
      { aspectRatio: { exact: 1 } },
      { advanced: [{ width: 1920, height: 1280 }, { aspectRatio: 4 / 3 }] },
      { width: { exact: 4000 } },
    ];
const audioAttempts = process.argv.length > 2 ? [] : [{ channelCount: 2, sampleRate: 44100 }, { sampleRate: { exact: 8000 } }];

for (const [track, attempts] of [[video, videoAttempts], [audio, audioAttempts]]) {
  for (const constraints of attempts) {
    try {
      await track.applyConstraints(constraints);
      console.log(`\n${track.kind} ${JSON.stringify(constraints)}\n  settings: ${summary(track.getSettings())}`);
    } catch (error) {
      if (error.name !== 'OverconstrainedError') throw error;
      // The track keeps its previous settings.
      console.log(`\n${track.kind} ${JSON.stringify(constraints)}\n  ${error.name}: constraint "${error.constraint}": ${error.message}`);
    }
  }
}

for (const track of stream.getTracks()) track.stop();

/** The settings on one line, without the long device and group ids. */
function summary({ deviceId, groupId, ...settings }) {
  return JSON.stringify(settings);
}
