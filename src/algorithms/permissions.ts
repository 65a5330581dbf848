/**
 * The PermissionStatus algorithms (Permissions, https://w3c.github.io/permissions/#permissionstatus-interface):
 * a status's [[state]], and the "permission state change steps" that keep it in step with the
 * origin's permission store.
 */
import { queueTask } from '../platform/tasks.js';
import type { MediaPermissionName, PermissionState, PermissionStore } from '../scope/permissions.js';

/** The internal slots of one PermissionStatus, kept up to date. */
export class PermissionStatusSlots {
  readonly name: MediaPermissionName;
  /** [[state]] */
  state: PermissionState;

  /** `fireChange` fires `change` at the PermissionStatus. */
  constructor(store: PermissionStore, name: MediaPermissionName, fireChange: () => void) {
    this.name = name;
    this.state = store.state(name);
    store.onChange((changed) => {
      if (changed !== name) return;
      // "permission state change steps": queue a task to update state and fire change.
      queueTask(() => {
        const next = store.state(name);
        if (next === this.state) return;
        this.state = next;
        fireChange();
      });
    });
  }
}
