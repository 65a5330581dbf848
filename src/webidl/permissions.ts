/**
 * `PermissionDescriptor` (Permissions, https://w3c.github.io/permissions/#dom-permissiondescriptor)
 * for the permissions of Media Capture and Screen Capture.
 */
import { enumeration } from './converters.js';
import { dictionary } from './dictionary.js';

/** The `PermissionName` values this implementation knows: the media permissions. */
export type PermissionName = 'camera' | 'microphone' | 'display-capture';
/** The converter of `PermissionName`, restricted to the media permissions. */
export const PermissionName = enumeration<PermissionName>('PermissionName', ['camera', 'microphone', 'display-capture']);

/** `dictionary PermissionDescriptor { required PermissionName name; }` */
export interface PermissionDescriptor {
  name: PermissionName;
}

/** The converter of `PermissionDescriptor`. */
export const PermissionDescriptor = dictionary<PermissionDescriptor>('PermissionDescriptor', {
  name: { type: PermissionName, required: true },
});
