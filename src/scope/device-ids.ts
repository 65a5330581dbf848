import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Per-origin device identifiers (mediacapture-main §9.3.1 `deviceId`, `groupId`).
 *
 * deviceId = HMAC-SHA256(salt, origin + provider key) as 64 hex digits: the same for one origin
 * across calls and process restarts (the salt is persisted), unguessable from another origin.
 * groupId is "uniquely generated for each document": HMAC with a per-scope random salt.
 */
export class DeviceIds {
  readonly #salt: Buffer;
  readonly #documentSalt = randomBytes(32);
  readonly #origin: string;

  constructor(origin: string, salt: Buffer) {
    this.#origin = origin;
    this.#salt = salt;
  }

  deviceId(deviceKey: string): string {
    return createHmac('sha256', this.#salt).update(`${this.#origin}\0${deviceKey}`).digest('hex');
  }

  groupId(groupKey: string): string {
    return createHmac('sha256', this.#documentSalt).update(`${this.#origin}\0${groupKey}`).digest('hex');
  }
}

/** Where the persisted salt lives: $MEDIACAPTURE_STATE_DIR, else $XDG_STATE_HOME/mediacapture, else ~/.local/state/mediacapture. */
export function defaultSaltPath(): string {
  const dir =
    process.env.MEDIACAPTURE_STATE_DIR ??
    join(process.env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'mediacapture');
  return join(dir, 'device-id-salt');
}

const saltCache = new Map<string, Buffer>();

/**
 * Reads the persisted salt, creating it on first use. If the file cannot be written (read-only
 * home), the salt lives for this process only, and ids then change across restarts.
 */
export function loadSalt(path: string = defaultSaltPath()): Buffer {
  const cached = saltCache.get(path);
  if (cached) return cached;
  let salt: Buffer | undefined;
  try {
    const text = readFileSync(path, 'utf8').trim();
    if (/^[0-9a-f]{64}$/.test(text)) salt = Buffer.from(text, 'hex');
  } catch {
    // absent: create below
  }
  if (!salt) {
    salt = randomBytes(32);
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      writeFileSync(path, salt.toString('hex') + '\n', { mode: 0o600 });
    } catch {
      // not persisted; see above
    }
  }
  saltCache.set(path, salt);
  return salt;
}
