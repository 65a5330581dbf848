/**
 * A camera widget written as browser code, with web APIs only (nothing from mediacapture): it
 * lists the cameras, starts the camera and the microphone, shows the camera in a <video>, takes
 * a snapshot on a <canvas>, meters the microphone with an AudioContext and an AnalyserNode, and
 * records with a MediaRecorder. media-widget.test.js tests it, unchanged, under Vitest (jsdom,
 * happy-dom) and Jest (CommonJS, ESM).
 */

/** Builds the widget's elements in `document`; nothing starts until `start()`. */
export function createMediaWidget(document) {
  const root = document.createElement('section');
  const cameras = document.createElement('select');
  const status = document.createElement('p');
  status.className = 'status';
  const resolution = document.createElement('p');
  resolution.className = 'resolution';
  const level = document.createElement('meter');
  level.min = 0;
  level.max = 1;
  const video = document.createElement('video');
  video.muted = true;
  video.autoplay = true;
  video.playsInline = true;
  const canvas = document.createElement('canvas');
  root.append(cameras, status, video, resolution, canvas, level);

  let stream = null;
  let audioContext = null;

  async function listCameras() {
    const devices = await navigator.mediaDevices.enumerateDevices();
    cameras.replaceChildren(
      ...devices
        .filter((d) => d.kind === 'videoinput')
        .map((d, i) => {
          const option = document.createElement('option');
          option.value = d.deviceId;
          option.textContent = d.label || `Camera ${i + 1}`;
          return option;
        }),
    );
  }
  navigator.mediaDevices.addEventListener('devicechange', () => void listCameras());

  /** Resolves with the next `type` event of `target`. */
  const next = (target, type) => new Promise((resolve) => target.addEventListener(type, resolve, { once: true }));

  return {
    root,
    video,
    canvas,
    listCameras,

    /** Asks for the camera and the microphone; says what went wrong in the status line. */
    async start(video = { width: 640, height: 480 }) {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video, audio: true });
      } catch (error) {
        status.textContent =
          error.name === 'NotAllowedError' ? 'Please allow camera access'
          : error.name === 'NotFoundError' ? 'No camera found'
          : error.name === 'OverconstrainedError' ? 'Your camera cannot do that'
          : `Camera error: ${error.name}`;
        return null;
      }
      const [track] = stream.getVideoTracks();
      status.textContent = `${track.label} is on`;
      track.addEventListener('ended', () => (status.textContent = 'Camera disconnected'));
      await listCameras();
      return stream;
    },

    /** Shows the camera in the <video>, and its size once the first frame is there. */
    async showPreview() {
      const playing = next(this.video, 'playing');
      const metadata = next(this.video, 'loadedmetadata');
      this.video.srcObject = stream;
      await metadata;
      await playing;
      resolution.textContent = `${this.video.videoWidth}x${this.video.videoHeight}`;
      return resolution.textContent;
    },

    /** Draws the frame the <video> shows on the <canvas>; returns it as a PNG data URL. */
    snapshot() {
      canvas.width = this.video.videoWidth;
      canvas.height = this.video.videoHeight;
      canvas.getContext('2d').drawImage(this.video, 0, 0);
      return canvas.toDataURL('image/png');
    },

    /** Starts metering the microphone; `readLevel()` gives its RMS level now (0..1). */
    startMeter() {
      audioContext = new AudioContext();
      const analyser = audioContext.createAnalyser();
      analyser.fftSize = 2048;
      audioContext.createMediaStreamSource(stream).connect(analyser);
      const samples = new Float32Array(analyser.fftSize);
      return {
        readLevel() {
          analyser.getFloatTimeDomainData(samples);
          let sum = 0;
          for (const s of samples) sum += s * s;
          level.value = Math.sqrt(sum / samples.length);
          return level.value;
        },
      };
    },

    /** Records the camera and the microphone until `stop()` is called; resolves with the file. */
    record() {
      const recorder = new MediaRecorder(stream);
      const chunks = [];
      recorder.addEventListener('dataavailable', (event) => chunks.push(event.data));
      const stopped = next(recorder, 'stop');
      recorder.start();
      return {
        recorder,
        async stop() {
          recorder.stop();
          await stopped;
          // The chunks' type: `recorder.mimeType` is back to the one asked for (none) once stopped.
          return new Blob(chunks, { type: chunks[0]?.type ?? '' });
        },
      };
    },

    /** Stops everything. */
    async stop() {
      for (const track of stream?.getTracks() ?? []) track.stop();
      await audioContext?.close();
      this.video.srcObject = null;
      status.textContent = 'Stopped';
    },
  };
}
