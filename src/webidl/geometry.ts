/**
 * `DOMRectInit` (Geometry Interfaces, https://drafts.fxtf.org/geometry/#dictdef-domrectinit), which
 * the `VideoFrame` dictionaries use.
 */
import { toUnrestrictedDouble } from './converters.js';
import { dictionary } from './dictionary.js';

/** `DOMRectInit` as script passes it. */
export interface DOMRectInit {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
}

/** A converted `DOMRectInit`: every member present. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** `dictionary DOMRectInit { unrestricted double x = 0; unrestricted double y = 0; unrestricted double width = 0; unrestricted double height = 0; }` */
export const DOMRectInit = dictionary<Rect>('DOMRectInit', {
  height: { type: toUnrestrictedDouble, default: 0 },
  width: { type: toUnrestrictedDouble, default: 0 },
  x: { type: toUnrestrictedDouble, default: 0 },
  y: { type: toUnrestrictedDouble, default: 0 },
});
