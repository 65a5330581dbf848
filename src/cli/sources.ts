/**
 * What the commands that capture a stream (record, publish) share: `--video[=JSON]`,
 * `--audio[=JSON]` and `--screen` turned into constraints, and the stream opened with
 * getUserMedia (and getDisplayMedia for the screen, with the microphone added to it).
 */
import type { MediaStream } from '../interfaces/MediaStream.js';
import type { ParsedArgs } from './args.js';
import { getDisplayMedia, getUserMedia } from './capture.js';
import { CliError, EXIT, badJson, usageError } from './exit.js';
import type { CliScope } from './scope.js';

/** The sources asked for: each constraint false (not wanted), true, or MediaTrackConstraints. */
export interface Sources {
  readonly screen: boolean;
  readonly video: boolean | Record<string, unknown>;
  readonly audio: boolean | Record<string, unknown>;
}

/** `--video[=JSON]` or `--audio[=JSON]`: false when absent, true without a value, else the parsed constraints. */
export function constraintsOption(args: ParsedArgs, name: 'video' | 'audio'): boolean | Record<string, unknown> {
  const value = args.options.get(name);
  if (value === undefined) return false;
  if (value === true) return true;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (e) {
    throw badJson(`--${name}`, value, e, `--${name}='{"${name === 'video' ? 'width' : 'channelCount'}":{"ideal":${name === 'video' ? 1280 : 2}}}'`);
  }
  if (typeof parsed === 'boolean') return parsed;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError(EXIT.badConstraints, `--${name} must be MediaTrackConstraints, a JSON object such as {"width":1280} (got ${value}).`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * The sources of `--video`, `--audio` and `--screen`; with none of them, the camera and the
 * microphone, as a page's "record me" or "go live" button does.
 */
export function chooseSources(args: ParsedArgs, verb: string): Sources {
  const screen = args.options.has('screen');
  let video = constraintsOption(args, 'video');
  let audio = constraintsOption(args, 'audio');
  if (screen && video !== false) throw usageError(`--screen ${verb}s the screen as the video: leave out --video (one video track at a time).`);
  if (!screen && video === false && audio === false) {
    if (args.options.has('video') || args.options.has('audio')) throw usageError(`Nothing to ${verb}: --video and --audio are both false.`);
    video = true;
    audio = true;
  }
  return { screen, video, audio };
}

/** Opens the stream of `sources`; the screen comes with the microphone unless --audio=false. */
export async function openStream(scope: CliScope, { screen, video, audio }: Sources): Promise<MediaStream> {
  if (!screen) return getUserMedia(scope, { video, audio }, { video: video !== false, audio: audio !== false });
  const display = await getDisplayMedia(scope, { video: true, audio: false });
  if (audio === false) return display;
  try {
    const microphone = await getUserMedia(scope, { audio }, { audio: true });
    for (const t of microphone.getAudioTracks()) display.addTrack(t);
    return display;
  } catch (e) {
    for (const t of display.getTracks()) t.stop();
    throw e;
  }
}
