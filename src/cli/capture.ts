/**
 * What the capturing commands (snapshot, record) share: choosing a device by id prefix, asking
 * for the camera, microphone or screen, and reading frames from a track.
 */
import { mediaDevicesInternals } from '../interfaces/MediaDevices.js';
import type { MediaStream } from '../interfaces/MediaStream.js';
import { trackOf, type MediaStreamTrack } from '../interfaces/MediaStreamTrack.js';
import { attachSink } from '../algorithms/track/sink.js';
import type { VideoFrame } from '../webcodecs/video-frame.js';
import { CliError, EXIT, fromMediaError, usageError, type Request } from './exit.js';
import type { CliScope } from './scope.js';
import { clearTimeout, queueMicrotask, setTimeout } from '../platform/timers.js';

/**
 * The full deviceId of the input of `kind` whose id starts with `prefix` (ids as `mediacapture
 * devices` shows them, shortened or whole).
 */
export async function resolveDeviceId(scope: CliScope, prefix: string, kind: 'videoinput' | 'audioinput'): Promise<string> {
  const state = mediaDevicesInternals.state(scope.mediaDevices);
  const ids = (await state.manager.list()).filter((d) => d.descriptor.kind === kind).map((d) => state.deviceIdOf(d));
  const matches = ids.filter((id) => id.startsWith(prefix.toLowerCase()));
  const what = kind === 'videoinput' ? 'camera' : 'microphone';
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw usageError(`--device ${prefix} matches ${matches.length} ${what}s; give more of the id.`);
  throw new CliError(EXIT.noDevice, `No ${what} has an id starting with "${prefix}". Run 'mediacapture devices' to see the ids.`);
}

type DisplayMediaDevices = { getDisplayMedia?: (options?: unknown) => Promise<MediaStream> };

/**
 * getDisplayMedia, where this build has it. Screen capture comes with the X11 backend; until then
 * `--screen` says so.
 */
export async function getDisplayMedia(scope: CliScope, options: unknown): Promise<MediaStream> {
  const md = scope.mediaDevices as unknown as DisplayMediaDevices;
  if (typeof md.getDisplayMedia !== 'function') {
    throw new CliError(EXIT.notSupported, 'Screen capture (getDisplayMedia) is not available in this version of mediacapture. Capture a camera instead (leave out --screen).');
  }
  try {
    return await md.getDisplayMedia.call(md, options);
  } catch (e) {
    throw fromMediaError(e, { screen: true });
  }
}

type Constraints = Parameters<CliScope['mediaDevices']['getUserMedia']>[0];

/**
 * Makes device information exposable for `kinds`, as a page does by calling getUserMedia once:
 * afterwards enumerateDevices shows labels and ids, and OverconstrainedError names its
 * constraint (mediacapture-main §9.2.4). Each kind is asked for alone and its tracks stopped at
 * once. Returns the errors, by kind, of the kinds that could not be exposed or opened.
 */
export async function exposeDeviceInfo(scope: CliScope, kinds: readonly ('audio' | 'video')[]): Promise<Map<'audio' | 'video', unknown>> {
  const errors = new Map<'audio' | 'video', unknown>();
  for (const kind of kinds) {
    try {
      const stream = await scope.mediaDevices.getUserMedia({ [kind]: true } as Constraints);
      for (const track of stream.getTracks()) track.stop();
    } catch (e) {
      errors.set(kind, e);
    }
  }
  return errors;
}

/**
 * getUserMedia, its rejection turned into a CliError. An OverconstrainedError that does not name
 * its constraint (device information was not exposable yet) is asked again once permission is
 * established, so the message can say which constraint failed.
 */
export async function getUserMedia(scope: CliScope, constraints: unknown, request: Request): Promise<MediaStream> {
  try {
    return await scope.mediaDevices.getUserMedia(constraints as Constraints);
  } catch (e) {
    if ((e as DOMException).name !== 'OverconstrainedError' || (e as { constraint?: string }).constraint !== '') throw fromMediaError(e, request);
    await exposeDeviceInfo(scope, [...(request.audio ? ['audio' as const] : []), ...(request.video ? ['video' as const] : [])]);
    try {
      return await scope.mediaDevices.getUserMedia(constraints as Constraints);
    } catch (again) {
      throw fromMediaError(again, request);
    }
  }
}

/**
 * The next frame of a video track (the caller closes it). Rejects when the track ends first, or
 * when no frame comes within `timeoutMs` (a muted or stalled device).
 */
export function nextFrame(track: MediaStreamTrack, timeoutMs = 10_000): Promise<VideoFrame> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (f: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      queueMicrotask(detach);
      f();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new CliError(
              EXIT.deviceBusy,
              `"${track.label}" delivered no frame in ${timeoutMs / 1000} s${track.muted ? ' (it is muted: the device is interrupted or covered)' : ''}. Check that nothing else holds it, then try again.`,
            ),
          ),
        ),
      timeoutMs,
    );
    const detach = attachSink(trackOf(track)!, {
      media(media) {
        if (done || !('codedWidth' in media)) {
          media.close();
          return;
        }
        finish(() => resolve(media as VideoFrame));
      },
      ended: () => finish(() => reject(new CliError(EXIT.deviceBusy, `"${track.label}" ended before it delivered a frame. Check the device, then try again.`))),
    });
  });
}
