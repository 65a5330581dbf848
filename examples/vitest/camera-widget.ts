/**
 * A small piece of "web code" as it would ship to a browser: a widget that lists the cameras,
 * starts one, shows its settings and reports errors. It uses only standard DOM and Media Capture
 * APIs — nothing from mediacapture — so the tests beside it show how to test such code in Node.
 */
export interface CameraWidget {
  root: HTMLElement;
  start(constraints?: MediaTrackConstraints): Promise<MediaStream | null>;
  stop(): void;
}

export function createCameraWidget(document: Document): CameraWidget {
  const root = document.createElement('section');
  const select = document.createElement('select');
  const status = document.createElement('p');
  status.className = 'status';
  root.append(select, status);
  let stream: MediaStream | null = null;

  async function refreshDevices(): Promise<void> {
    const devices = await navigator.mediaDevices.enumerateDevices();
    select.replaceChildren(
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
  navigator.mediaDevices.addEventListener('devicechange', () => void refreshDevices());
  void refreshDevices();

  return {
    root,
    async start(constraints: MediaTrackConstraints = {}) {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: constraints });
        const [track] = stream.getVideoTracks();
        const { width, height, frameRate } = track!.getSettings();
        status.textContent = `${track!.label}: ${width}x${height}@${frameRate}`;
        track!.addEventListener('ended', () => (status.textContent = 'Camera disconnected'));
        await refreshDevices();
        return stream;
      } catch (error) {
        const e = error as DOMException;
        status.textContent =
          e.name === 'NotAllowedError' ? 'Please allow camera access'
          : e.name === 'NotFoundError' ? 'No camera found'
          : e.name === 'OverconstrainedError' ? 'Your camera cannot do that'
          : `Camera error: ${e.name}`;
        return null;
      }
    },
    stop() {
      for (const t of stream?.getTracks() ?? []) t.stop();
      status.textContent = 'Stopped';
    },
  };
}
