/**
 * What the command line tells its user when something goes wrong: one line that says what
 * happened and what to do about it, and an exit status that tells scripts which of the cases it
 * was. The statuses are part of the interface (documented in `mediacapture --help`).
 */

/** The exit statuses of `mediacapture`. */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** Something the CLI did not foresee (a bug, an I/O error): the message says what. */
  failure: 1,
  /** The command line was wrong: unknown command or option, a missing argument, a bad value. */
  usage: 2,
  /** The constraints were not valid JSON, or not valid MediaStreamConstraints (getUserMedia's TypeError). */
  badConstraints: 3,
  /** ffmpeg is needed (recording, JPEG) and could not be started. */
  noFfmpeg: 4,
  /** Permission to use the camera, microphone or screen was denied (NotAllowedError). */
  permissionDenied: 5,
  /** There is no device of the kind asked for (NotFoundError). */
  noDevice: 6,
  /** The device exists but could not be started: busy or failed (NotReadableError, AbortError). */
  deviceBusy: 7,
  /** No device can satisfy the required constraints (OverconstrainedError). */
  overconstrained: 8,
  /** The recording format is not supported on this machine (NotSupportedError). */
  notSupported: 9,
  /**
   * The recording is shorter than asked (frames were lost: the encoder or the machine could not
   * keep up, or the devices ended early), or Ctrl-C cut its finishing short. The file is kept.
   */
  incomplete: 10,
  /**
   * The media server could not be reached, refused the stream (an HTTP or Janus error), or the
   * connection to it failed or ended (`publish`).
   */
  server: 11,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the CLI reports as one line and an exit status. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode: ExitCode;

  constructor(exitCode: ExitCode, message: string) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** The command line was wrong. */
export function usageError(message: string): CliError {
  return new CliError(EXIT.usage, `${message} See 'mediacapture --help'.`);
}

/** What the user asked for, in words, for messages: "the camera", "the camera and microphone". */
export interface Request {
  readonly video?: boolean;
  readonly audio?: boolean;
  readonly screen?: boolean;
}

function describeRequest(request: Request): string {
  const parts = [request.screen ? 'screen' : '', request.video ? 'camera' : '', request.audio ? 'microphone' : ''].filter(Boolean);
  if (parts.length === 0) return 'device';
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

function stripPeriod(message: string): string {
  return message.trim().replace(/[.\s]+$/, '');
}

/**
 * Turns what getUserMedia, getDisplayMedia or MediaRecorder rejected with into a CliError: the
 * DOMException's own message (what happened) and what the user can do about it.
 */
export function fromMediaError(error: unknown, request: Request = {}): CliError {
  if (error instanceof CliError) return error;
  const what = describeRequest(request);
  if (error instanceof DOMException || (error instanceof Error && typeof (error as { name?: unknown }).name === 'string')) {
    const e = error as Error & { constraint?: string };
    const message = stripPeriod(e.message);
    switch (e.name) {
      case 'NotAllowedError': {
        const names = [request.video ? 'camera' : '', request.audio ? 'microphone' : '', request.screen ? 'display-capture' : ''].filter(Boolean);
        const grant = names.length > 0 ? names.map((n) => `${n}=granted`).join(',') : 'camera=granted,microphone=granted';
        return new CliError(
          EXIT.permissionDenied,
          `Permission to use the ${what} was denied (${message}). Grant it: set ${grant} in MEDIACAPTURE_PERMISSIONS, or unset that variable.`,
        );
      }
      case 'NotFoundError':
        return new CliError(
          EXIT.noDevice,
          `No ${what} found (${message}). See what there is with 'mediacapture devices'${request.screen ? '' : ', and check MEDIACAPTURE_DEVICES if it is set'}.`,
        );
      case 'NotReadableError':
      case 'AbortError':
        return new CliError(
          EXIT.deviceBusy,
          `The ${what} could not be started (${message}). Close any other program that uses it, then try again.`,
        );
      case 'OverconstrainedError': {
        const constraint = e.constraint ? `the constraint "${e.constraint}"` : 'the constraints taken together';
        return new CliError(
          EXIT.overconstrained,
          `No ${what} can satisfy ${constraint}. Relax ${e.constraint ? 'it' : 'them'} (use "ideal" instead of "exact", "min" or "max"), or run 'mediacapture constraints' to see what each device offers.`,
        );
      }
      case 'NotSupportedError':
        return new CliError(EXIT.notSupported, `${message}. Pick another --mime (see 'mediacapture record --help').`);
      case 'TypeError':
        return new CliError(
          EXIT.badConstraints,
          `Invalid constraints: ${message}. Write MediaTrackConstraints as JSON, e.g. --video='{"width":{"ideal":1280}}'.`,
        );
      case 'MissingProgramError':
        return noFfmpeg(message);
    }
    return new CliError(EXIT.failure, `${e.name}: ${message}.`);
  }
  return new CliError(EXIT.failure, String(error));
}

/** ffmpeg could not be started. */
export function noFfmpeg(detail: string): CliError {
  return new CliError(
    EXIT.noFfmpeg,
    `ffmpeg is needed for this and could not be started (${stripPeriod(detail)}). Install it (Debian/Ubuntu: sudo apt-get install ffmpeg), or set MEDIACAPTURE_FFMPEG to its path.`,
  );
}

/**
 * The constraints given on the command line were not JSON. `what` names them ("--video", "the
 * constraints argument"); `example` shows a correct command line.
 */
export function badJson(what: string, text: string, error: unknown, example: string): CliError {
  const reason = error instanceof Error ? stripPeriod(error.message) : String(error);
  return new CliError(EXIT.badConstraints, `${what} is not valid JSON (${reason}): ${JSON.stringify(text)}. Quote it for the shell, e.g. ${example}.`);
}
