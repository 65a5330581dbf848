import { fireEvent } from '../realm/events.js';
import { PlatformEventTarget } from '../realm/current.js';
import { PermissionStatusSlots } from '../algorithms/permissions.js';
import { illegalConstructor, illegalInvocation } from '../platform/errors.js';
import { defineEventHandler } from '../platform/event-handler.js';
import { INTERNAL, exposeInterface, idlLength } from '../platform/interface.js';
import { MEDIA_PERMISSION_NAMES, type MediaPermissionName, type PermissionState, type PermissionStore } from '../scope/permissions.js';
import { converters, promiseOperation } from '../webidl/index.js';

let isPermissionStatus: (v: unknown) => boolean;

/**
 * PermissionStatus (Permissions spec): the state of one permission for one origin, with a
 * `change` event queued whenever that state changes.
 */
export class PermissionStatus extends PlatformEventTarget {
  /** The `change` event handler (an enumerable accessor on the prototype). */
  declare onchange: ((ev: Event) => unknown) | null;

  #slots: PermissionStatusSlots;

  constructor(token?: typeof INTERNAL, store?: PermissionStore, name?: MediaPermissionName) {
    if (token !== INTERNAL || !store || !name) throw illegalConstructor('PermissionStatus');
    super();
    this.#slots = new PermissionStatusSlots(store, name, () => fireEvent(this, 'change'));
  }

  get name(): string {
    if (!(#slots in this)) throw illegalInvocation('PermissionStatus', 'name');
    return this.#slots.name;
  }

  get state(): PermissionState {
    if (!(#slots in this)) throw illegalInvocation('PermissionStatus', 'state');
    return this.#slots.state;
  }

  static {
    isPermissionStatus = (v) => typeof v === 'object' && v !== null && #slots in v;
  }
}
defineEventHandler(PermissionStatus.prototype, 'change', 'PermissionStatus', (v) => isPermissionStatus(v));
exposeInterface(PermissionStatus);
// No constructor in the IDL (the one here takes an internal token): length 0.
idlLength(PermissionStatus, 0);

/** What a Permissions object asks about the permissions that are not media ones. */
export interface OtherPermissions {
  query(permissionDesc: unknown): Promise<unknown>;
}

/**
 * Permissions (`navigator.permissions`), for the media permissions; other names go to the
 * environment's own `navigator.permissions` where there was one (happy-dom's, say).
 */
export class Permissions {
  #store: PermissionStore;
  #others: OtherPermissions | undefined;

  constructor(token?: typeof INTERNAL, store?: PermissionStore, others?: OtherPermissions) {
    if (token !== INTERNAL || !store) throw illegalConstructor('Permissions');
    this.#store = store;
    this.#others = others;
  }

  /**
   * query() (Permissions §): resolves with a PermissionStatus; names other than the media ones go
   * to the environment's Permissions, or are a TypeError without one.
   */
  query(permissionDesc: unknown): Promise<PermissionStatus> {
    return promiseOperation(() => {
      if (!(#store in this)) throw illegalInvocation('Permissions', 'query');
      const others = this.#others;
      if (others && typeof permissionDesc === 'object' && permissionDesc !== null) {
        const name = (permissionDesc as { name?: unknown }).name;
        if (!MEDIA_PERMISSION_NAMES.includes(name as MediaPermissionName)) return others.query(permissionDesc) as Promise<PermissionStatus>;
      }
      const { name } = converters.PermissionDescriptor(permissionDesc, "Failed to execute 'query' on 'Permissions': permissionDesc");
      return Promise.resolve(new PermissionStatus(INTERNAL, this.#store, name));
    });
  }
}
exposeInterface(Permissions);
// No constructor in the IDL (the one here takes an internal token): length 0.
idlLength(Permissions, 0);
