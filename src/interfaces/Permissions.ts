import { illegalConstructor, illegalInvocation } from '../platform/errors.js';
import { defineEventHandler } from '../platform/event-handler.js';
import { INTERNAL, exposeInterface } from '../platform/interface.js';
import { queueTask } from '../platform/tasks.js';
import { dictionaryObject, toDOMString } from '../webidl/converters.js';
import type { MediaPermissionName, PermissionState, PermissionStore } from '../scope/permissions.js';

const KNOWN_NAMES = ['camera', 'microphone', 'display-capture'];

let isPermissionStatus: (v: unknown) => boolean;

/**
 * PermissionStatus (Permissions spec): the state of one permission for one origin, with a
 * `change` event queued whenever that state changes.
 */
export class PermissionStatus extends EventTarget {
  /** The `change` event handler (an enumerable accessor on the prototype). */
  declare onchange: ((ev: Event) => any) | null;

  #name: MediaPermissionName;
  #state: PermissionState;

  constructor(token?: typeof INTERNAL, store?: PermissionStore, name?: MediaPermissionName) {
    if (token !== INTERNAL || !store || !name) throw illegalConstructor('PermissionStatus');
    super();
    this.#name = name;
    this.#state = store.state(name);
    store.onChange((changed) => {
      if (changed !== name) return;
      // "permission state change steps": queue a task to update state and fire change.
      queueTask(() => {
        const next = store.state(name);
        if (next === this.#state) return;
        this.#state = next;
        this.dispatchEvent(new Event('change'));
      });
    });
  }

  get name(): string {
    if (!(#name in this)) throw illegalInvocation('PermissionStatus', 'name');
    return this.#name;
  }

  get state(): PermissionState {
    if (!(#state in this)) throw illegalInvocation('PermissionStatus', 'state');
    return this.#state;
  }

  static {
    isPermissionStatus = (v) => typeof v === 'object' && v !== null && #name in v;
  }
}
defineEventHandler(PermissionStatus.prototype, 'change', 'PermissionStatus', (v) => isPermissionStatus(v));
exposeInterface(PermissionStatus);

/** Permissions (`navigator.permissions`), for the media permissions only. */
export class Permissions {
  #store: PermissionStore;

  constructor(token?: typeof INTERNAL, store?: PermissionStore) {
    if (token !== INTERNAL || !store) throw illegalConstructor('Permissions');
    this.#store = store;
  }

  /** query() (Permissions §): resolves with a PermissionStatus; unknown names are a TypeError. */
  query(permissionDesc: unknown): Promise<PermissionStatus> {
    if (!(#store in this)) return Promise.reject(illegalInvocation('Permissions', 'query'));
    try {
      const desc = dictionaryObject(permissionDesc, "Failed to execute 'query' on 'Permissions': parameter 1");
      if (!desc || desc.name === undefined) throw new TypeError("Failed to execute 'query' on 'Permissions': required member name is undefined.");
      const name = toDOMString(desc.name, "Failed to execute 'query' on 'Permissions': member name");
      if (!KNOWN_NAMES.includes(name)) {
        throw new TypeError(`Failed to execute 'query' on 'Permissions': The provided value '${name}' is not a valid enum value of type PermissionName supported here (${KNOWN_NAMES.join(', ')}).`);
      }
      return Promise.resolve(new PermissionStatus(INTERNAL, this.#store, name as MediaPermissionName));
    } catch (e) {
      return Promise.reject(e);
    }
  }
}
exposeInterface(Permissions);
