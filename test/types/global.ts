// Compiled (not run) with lib.dom by `npm test`: after `import 'mediacapture/global'`, the globals
// lib.dom lacks are declared (no TS2304), and work with lib.dom's own MediaStream types.
import { mediacapture } from 'mediacapture/global';

export async function useGlobals(): Promise<void> {
  const stream: MediaStream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  const [video] = stream.getVideoTracks();
  const [audio] = stream.getAudioTracks();
  const processor: MediaStreamTrackProcessor = new MediaStreamTrackProcessor({ track: video! });
  const reader = processor.readable.getReader();
  const { value } = await reader.read();
  value?.close();
  const generator: VideoTrackGenerator = new VideoTrackGenerator();
  const out: MediaStream = new MediaStream([generator.track]);
  const chrome: MediaStreamTrackGenerator = new MediaStreamTrackGenerator({ kind: 'audio' });
  const recorder = new MediaRecorder(new MediaStream([audio!, chrome]));
  recorder.start();
  const onChange = (event: DeviceChangeEvent) => event.devices.length;
  navigator.mediaDevices.addEventListener('devicechange', (e) => onChange(e as DeviceChangeEvent));
  const stats: typeof MediaStreamTrackVideoStats = MediaStreamTrackVideoStats;
  const audioStats: typeof MediaStreamTrackAudioStats = MediaStreamTrackAudioStats;
  void [out, stats, audioStats];
  await mediacapture.reset();
  mediacapture.setClock(mediacapture.clock);
}
