/**
 * `mediacapture`: the command line. Every command captures through the same web API a page uses
 * (navigator.mediaDevices of a private scope, see scope.ts); errors become one line and an exit
 * status (exit.ts).
 */
import { readFileSync } from 'node:fs';
import { parseArgs, type OptionSpec, type ParsedArgs } from './args.js';
import { constraintsCommand } from './constraints.js';
import { devicesCommand } from './devices.js';
import { CliError, EXIT, fromMediaError, usageError } from './exit.js';
import { processIo, type CliIo } from './io.js';
import { previewCommand } from './preview/command.js';
import { publishCommand } from './publish.js';
import { recordCommand } from './record.js';
import { openScope, type CliScope } from './scope.js';
import { snapshotCommand } from './snapshot.js';

interface Command {
  readonly summary: string;
  readonly usage: string;
  readonly help: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Runs the command; resolves to its exit status, or to nothing for 0. */
  run(args: ParsedArgs, scope: CliScope, io: CliIo): Promise<unknown>;
}

const HELP_OPTION: Record<string, OptionSpec> = { help: { arity: 'flag', short: 'h' } };

const COMMANDS: Readonly<Record<string, Command>> = {
  devices: {
    summary: 'List cameras, microphones and speakers as enumerateDevices() sees them, with capabilities',
    usage: 'mediacapture devices [--json]',
    help: `Lists the devices after asking for camera and microphone permission (so labels and ids
show; the devices are opened for a moment, as a web page's getUserMedia does), with each
input's capabilities (InputDeviceInfo.getCapabilities()). The ID column is the shortest unique
prefix of the deviceId; snapshot --device accepts any unique prefix.

  --json   print {"devices": [{"deviceId", "kind", "label", "groupId", "capabilities"?}],
           "notes": [string], "backends": [string]} instead: MediaDeviceInfo.toJSON() of each
           device in enumerateDevices() order, "capabilities" (MediaTrackCapabilities) for
           audioinput and videoinput, "notes" saying why labels are hidden (permission denied),
           and the device backends in use`,
    options: { ...HELP_OPTION, json: { arity: 'flag' } },
    run: devicesCommand,
  },
  constraints: {
    summary: 'The constraint exerciser: what SelectSettings picks on each device, and why',
    usage: `mediacapture constraints '<MediaStreamConstraints JSON>' [--json]`,
    help: `For each device of each kind asked for, runs SelectSettings step by step and shows every
candidate (each native mode, as it is and cropped/scaled): the required constraint that rules
it out, the advanced set that drops it, or its fitness distance to the ideal values, constraint
by constraint; marks the chosen one and the device getUserMedia prefers. Then calls getUserMedia,
as a page that already has permission (so that an OverconstrainedError names its constraint),
and shows the track settings, or the error. The exit status is getUserMedia's (0, or that of
its error).

  --json   print the report as JSON: {"constraints", "kinds": [{"kind", "constraints",
           "devices": [{"deviceId", "label", "isDefault", "candidates": [...], "advanced",
           "result"}], "pick"}], "getUserMedia": {"tracks": [...]} or {"error": {...}}}

Example:
  mediacapture constraints '{"video":{"width":{"min":640,"ideal":1280},"frameRate":{"max":15}}}'`,
    options: { ...HELP_OPTION, json: { arity: 'flag' } },
    run: constraintsCommand,
  },
  snapshot: {
    summary: 'Save one frame of a camera or the screen as PNG or JPEG',
    usage: 'mediacapture snapshot <out.png|out.jpg> [--width N] [--height N] [--device ID] [--screen]',
    help: `Takes one frame (MDN's "taking still photos") and writes it as PNG, or as JPEG through ffmpeg.

  --width N, --height N   the picture's size (exact: the camera crops and scales to it; with
                          only one given, the other follows the camera's aspect ratio)
  --device ID             the camera whose deviceId starts with ID (see 'mediacapture devices')
  --screen                capture the screen (getDisplayMedia) instead of a camera`,
    options: { ...HELP_OPTION, width: { arity: 'value' }, height: { arity: 'value' }, device: { arity: 'value' }, screen: { arity: 'flag' } },
    run: snapshotCommand,
  },
  record: {
    summary: 'Record camera, microphone and/or screen with MediaRecorder, until --duration or Ctrl-C',
    usage: `mediacapture record <out.webm> [--video[=JSON]] [--audio[=JSON]] [--screen] [--from URL] [--duration 10s] [--mime TYPE]`,
    help: `Records through getUserMedia (and getDisplayMedia for --screen) and MediaRecorder into a file.
Without --video, --audio or --screen it records the camera and the microphone. On a terminal a
status line shows elapsed time, frames per second, dropped frames, bytes written and the audio
level. Ctrl-C stops the recording cleanly: "Finishing" shows, and within 2 s the command ends
with a playable file.

The summary is read back from the file (ffprobe): its real duration and, for video, the frames
captured (the camera's track statistics), encoded (in the file) and dropped. A file shorter than
asked (by more than 10 % or one second, whichever is less) is a warning and exit status 10.

  --video[=JSON]     record a camera; JSON is MediaTrackConstraints, e.g. --video='{"width":1280}'
  --audio[=JSON]     record a microphone; e.g. --audio='{"channelCount":2}'
  --screen           record the screen (getDisplayMedia) as the video
  --from URL         record a media server's stream instead, over WebRTC: a WHEP endpoint
                     (http(s)://…), or a Janus room's publisher: janus://HOST[:PORT]/ROOM, with
                     ?feed=ID or ?display=NAME when the room has several (see publish --help)
  --token T          with --from and a WHEP endpoint: the bearer token
  --duration TIME    stop after TIME: 10s, 1.5m, 500ms, 1:30 (default: until Ctrl-C)
  --mime TYPE        the MediaRecorder mimeType, e.g. "video/webm;codecs=vp9,opus" (default:
                     from the file name: .webm, .mkv, .mp4, .ogg/.opus)`,
    options: {
      ...HELP_OPTION,
      video: { arity: 'optional' },
      audio: { arity: 'optional' },
      screen: { arity: 'flag' },
      from: { arity: 'value' },
      token: { arity: 'value' },
      duration: { arity: 'value' },
      mime: { arity: 'value' },
    },
    run: recordCommand,
  },
  preview: {
    summary: 'Show every camera, screen and microphone live in a browser page, with their settings',
    usage: 'mediacapture preview [--port N] [--no-open]',
    help: `Serves a page on 127.0.0.1 (and only there) that shows each camera and the screen live (sent
to the page over WebRTC, which needs the werift package), each microphone as a level meter,
each device's capabilities and settings, and a constraints box per device that calls
applyConstraints and shows the settings SelectSettings chose, or the OverconstrainedError.
Prints the page's URL and opens it in the desktop's browser (xdg-open) where there is one.
Runs until Ctrl-C. The devices come from MEDIACAPTURE_BACKENDS as for the other commands; the
screen is shown where there is one (X11 with DISPLAY set, builtin-screen, screen-file:PATH).

  --port N    listen on port N (default: a free port)
  --no-open   only print the URL; do not open a browser`,
    options: { ...HELP_OPTION, port: { arity: 'value' }, 'no-open': { arity: 'flag' } },
    run: previewCommand,
  },
  publish: {
    summary: 'Send camera, microphone and/or screen to a media server over WebRTC (WHIP or a Janus room)',
    usage: `mediacapture publish <url> [--video[=JSON]] [--audio[=JSON]] [--screen] [--duration 10s] [--token T] [--display NAME]`,
    help: `Publishes through RTCPeerConnection (VP8 and Opus; needs the werift package) to:

  http(s)://…                        a WHIP endpoint (RFC 9725): the offer is POSTed, the
                                     session DELETEd at the end
  janus://HOST[:PORT]/ROOM           a Janus videoroom, through Janus's HTTP API at
                                     http://HOST:PORT/janus (PORT 8088 when left out)
  janus+http(s)://HOST[:PORT]/PATH/ROOM   the same with the API at http(s)://HOST:PORT/PATH

Without --video, --audio or --screen it publishes the camera and the microphone. Once the server
has the stream, a status line on a terminal shows elapsed time, frames per second, dropped
frames, bytes sent and the audio level. Ctrl-C ends the session on the server and quits; a
second Ctrl-C quits at once. The summary (time, frames, bytes sent) goes to stdout.

  --video[=JSON]     publish a camera; JSON is MediaTrackConstraints, e.g. --video='{"width":1280}'
  --audio[=JSON]     publish a microphone
  --screen           publish the screen (getDisplayMedia) as the video
  --duration TIME    stop after TIME: 10s, 1.5m, 500ms, 1:30 (default: until Ctrl-C)
  --token T          WHIP: the bearer token (Authorization: Bearer T)
  --display NAME     Janus: the name shown to the room (default "mediacapture")

ICE uses every local address; MEDIACAPTURE_ICE_ADDRESSES=10.0.0.5 (comma-separated) limits it.`,
    options: {
      ...HELP_OPTION,
      video: { arity: 'optional' },
      audio: { arity: 'optional' },
      screen: { arity: 'flag' },
      duration: { arity: 'value' },
      token: { arity: 'value' },
      display: { arity: 'value' },
    },
    run: publishCommand,
  },
};

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The text of `mediacapture --help`. */
export function mainHelp(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  return `mediacapture ${version()}: the W3C Media Capture and Streams API for Node.js, on the command line

Usage:
${names.map((n) => `  ${COMMANDS[n]!.usage}`).join('\n')}
  mediacapture <command> --help

Commands:
${names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n]!.summary}`).join('\n')}

Exit status:
  0  done
  1  unexpected failure (the message says what)
  2  usage: unknown command or option, missing or bad argument, bad MEDIACAPTURE_* variable
  3  bad constraints: not JSON, or not valid MediaStreamConstraints (getUserMedia's TypeError)
  4  no ffmpeg: it is needed to record and for JPEG snapshots
  5  permission denied (NotAllowedError)
  6  no device of the kind asked for (NotFoundError)
  7  device busy: it could not be started, or sent nothing (NotReadableError, AbortError)
  8  overconstrained: no device satisfies the required constraints (OverconstrainedError)
  9  not supported: this machine cannot record the format asked for (NotSupportedError)
  10 incomplete recording: the file is shorter than asked (by more than 10 % or one second,
     whichever is less: frames were dropped, or the devices ended early), or Ctrl-C cut its
     finishing short; the file is kept and plays
  11 media server: it could not be reached, refused the stream, or the connection to it
     failed or ended (publish)

Environment:
  MEDIACAPTURE_BACKENDS     the device backends, comma-separated: auto (default: the machine's
                            devices, built-in synthetic ones for the kinds it has none of),
                            builtin, pulse, v4l2, file:PATH, x11, x11:DISPLAY, screen-file:PATH
  MEDIACAPTURE_DEVICES      the built-in synthetic devices, as a JSON array of configurations
                            replacing the default camera, microphone and speaker; [] for none.
                            e.g. [{"kind":"videoinput","label":"Desk","videoModes":[{"width":320,
                            "height":240,"frameRate":15}]}]. "failing": true makes a device fail
                            to start (busy); "interrupted": true starts it muted. Set alone,
                            it implies MEDIACAPTURE_BACKENDS=builtin.
  MEDIACAPTURE_PERMISSIONS  permission states: camera=denied,microphone=granted (or JSON); names
                            camera, microphone, display-capture; states granted, denied, prompt
                            (asks on the terminal). Default: granted.
  MEDIACAPTURE_FFMPEG       the ffmpeg program (default: ffmpeg on PATH)
  MEDIACAPTURE_ICE_ADDRESSES  publish: the local IPv4 addresses WebRTC may use, comma-separated
                            (default: all)
  MEDIACAPTURE_STATE_DIR    where the device-id salt is kept, so ids stay the same across runs
                            (default: $XDG_STATE_HOME/mediacapture or ~/.local/state/mediacapture)`;
}

/** An error no command turned into a CliError: DOMExceptions by name, anything else a failure. */
function unexpected(e: unknown): CliError {
  const name = (e as { name?: unknown } | null)?.name;
  if (e instanceof DOMException || name === 'MissingProgramError') return fromMediaError(e);
  const error = e instanceof Error ? e : new Error(String(e));
  const where = process.env.MEDIACAPTURE_DEBUG ? `\n${error.stack}` : '';
  return new CliError(EXIT.failure, `${error.message}${where}`);
}

function commandHelp(command: Command): string {
  return `Usage: ${command.usage}\n\n${command.summary}.\n\n${command.help}\n\nExit statuses and environment: mediacapture --help`;
}

/**
 * Runs the command line `argv` (without node and the script) and returns the exit status.
 * Never throws: every error is written to `io` as one line.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const command = topic !== undefined ? COMMANDS[topic] : undefined;
    io.out(command ? commandHelp(command) : mainHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-V') {
    io.out(version());
    return EXIT.ok;
  }
  let scope: CliScope | undefined;
  try {
    const command = COMMANDS[name];
    if (!command) throw usageError(`'${name}' is not a mediacapture command (commands: ${Object.keys(COMMANDS).join(', ')}).`);
    const args = parseArgs(rest, command.options, name);
    if (args.options.has('help')) {
      io.out(commandHelp(command));
      return EXIT.ok;
    }
    scope = await openScope(io.env);
    const status = await command.run(args, scope, io);
    return typeof status === 'number' ? status : EXIT.ok;
  } catch (e) {
    const error = e instanceof CliError ? e : unexpected(e);
    io.status('');
    io.err(`mediacapture ${name}: ${error.message}`);
    return error.exitCode;
  } finally {
    scope?.close();
  }
}
