/**
 * The permission model of one origin for the powerful features "camera", "microphone" and
 * "display-capture" (mediacapture-main §13, Permissions spec). States are "granted", "denied"
 * and "prompt"; a prompt is answered by an optional async handler that decides as a person at a
 * browser's prompt would.
 */
export type MediaPermissionName = 'camera' | 'microphone' | 'display-capture';
export type PermissionState = 'granted' | 'denied' | 'prompt';

export const MEDIA_PERMISSION_NAMES: readonly MediaPermissionName[] = ['camera', 'microphone', 'display-capture'];

/** What a prompt handler is asked. */
export interface PermissionPrompt {
  /** The permission being requested. */
  readonly name: MediaPermissionName;
  /** The origin asking. */
  readonly origin: string;
  /** Labels of the devices the request would use (for a handler that "reads the prompt"). */
  readonly deviceLabels: readonly string[];
}

/**
 * Answers a prompt. Return "granted" or true to allow (and remember, as "Allow" does), "denied"
 * or false to block (and remember), or "prompt" to dismiss the prompt (NotAllowedError, nothing
 * remembered). May be async: getUserMedia waits, as it does for a person.
 */
export type PromptHandler = (prompt: PermissionPrompt) => PermissionState | boolean | Promise<PermissionState | boolean>;

export type PermissionListener = (name: MediaPermissionName, from: PermissionState, to: PermissionState) => void;

export class PermissionStore {
  readonly origin: string;
  #states = new Map<MediaPermissionName, PermissionState>();
  #listeners = new Set<PermissionListener>();
  promptHandler: PromptHandler | undefined;
  readonly #initialStates: ReadonlyMap<MediaPermissionName, PermissionState>;
  readonly #initialHandler: PromptHandler | undefined;

  constructor(origin: string, initial: Partial<Record<MediaPermissionName, PermissionState>> = {}, promptHandler?: PromptHandler) {
    this.origin = origin;
    // Built-in defaults: camera and microphone granted (like a test browser profile);
    // display capture always asks (the screen-share spec forbids persisting "granted").
    this.#states.set('camera', initial.camera ?? 'granted');
    this.#states.set('microphone', initial.microphone ?? 'granted');
    this.#states.set('display-capture', initial['display-capture'] ?? 'prompt');
    this.promptHandler = this.#initialHandler = promptHandler;
    this.#initialStates = new Map(this.#states);
  }

  /** Back to the states and prompt handler the store was made with (listeners hear each change). */
  reset(): void {
    for (const [name, state] of this.#initialStates) this.set(name, state);
    this.promptHandler = this.#initialHandler;
  }

  /** "read the current permission state". */
  state(name: MediaPermissionName): PermissionState {
    return this.#states.get(name) ?? 'prompt';
  }

  /** Sets a state, as a user changing site settings would; listeners hear the transition. */
  set(name: MediaPermissionName, state: PermissionState): void {
    if (!MEDIA_PERMISSION_NAMES.includes(name)) throw new TypeError(`Unknown permission name "${String(name)}": expected one of ${MEDIA_PERMISSION_NAMES.join(', ')}.`);
    if (!['granted', 'denied', 'prompt'].includes(state)) throw new TypeError(`Unknown permission state "${String(state)}": expected "granted", "denied" or "prompt".`);
    const from = this.state(name);
    if (from === state) return;
    this.#states.set(name, state);
    for (const l of [...this.#listeners]) l(name, from, state);
  }

  onChange(listener: PermissionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * "request permission to use": granted and denied answer at once; prompt asks the handler.
   * Without a handler nobody can answer, so the prompt counts as dismissed.
   */
  async request(name: MediaPermissionName, deviceLabels: readonly string[] = []): Promise<PermissionState> {
    const current = this.state(name);
    if (current !== 'prompt') return current;
    const handler = this.promptHandler;
    if (!handler) return 'prompt';
    const answer = await handler({ name, origin: this.origin, deviceLabels });
    const decided: PermissionState = answer === true ? 'granted' : answer === false ? 'denied' : answer;
    if (decided !== 'granted' && decided !== 'denied' && decided !== 'prompt') {
      throw new TypeError(`The prompt handler returned ${String(answer)}; expected "granted", "denied", "prompt" or a boolean.`);
    }
    // A one-off display-capture grant is not remembered (screen-share §5).
    if (decided !== 'prompt' && name !== 'display-capture') this.set(name, decided);
    return decided;
  }
}
