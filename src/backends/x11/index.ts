/** The X11 backend: screens for getDisplayMedia (see provider.ts). */
export { X11DisplayProvider, type X11ProviderOptions } from './provider.js';
export { X11ScreenSource, x11grabInput, type CursorMode, type ScreenMode, type X11ScreenSourceOptions } from './source.js';
export {
  XConnection,
  parseDisplayName,
  screenName,
  parseXauthority,
  findCookie,
  parseSetupReply,
  setupRequest,
  FAMILY_LOCAL,
  FAMILY_WILD,
  FAMILY_INTERNET,
  type XDisplayName,
  type XauthEntry,
  type XScreen,
  type XServerInfo,
  type SetupReply,
  type XConnectOptions,
} from './xconnection.js';
