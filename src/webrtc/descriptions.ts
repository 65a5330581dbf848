/**
 * RTCSessionDescription (https://w3c.github.io/webrtc-pc/#rtcsessiondescription-class) and
 * RTCIceCandidate (https://w3c.github.io/webrtc-pc/#rtcicecandidate-interface): the two
 * dictionaries-with-a-class that signalling carries. Both serialize with `toJSON()`.
 */
import { exposeInterface } from '../platform/interface.js';

const SDP_TYPES = ['offer', 'pranswer', 'answer', 'rollback'] as const;
/** `RTCSdpType`. */
export type RTCSdpType = (typeof SDP_TYPES)[number];

/** `RTCSessionDescriptionInit`. */
export interface RTCSessionDescriptionInit {
  type: RTCSdpType;
  sdp?: string;
}

/** Converts a value to `RTCSessionDescriptionInit` (WebIDL: `type` required, `sdp` default ""). */
export function toDescriptionInit(value: unknown, context: string): RTCSessionDescriptionInit {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    throw new TypeError(`${context}: The provided value is not of type 'RTCSessionDescriptionInit'.`);
  }
  const { sdp, type } = value as Record<string, unknown>;
  if (type === undefined) throw new TypeError(`${context}: Required member 'type' is undefined.`);
  const t = String(type);
  if (!(SDP_TYPES as readonly string[]).includes(t)) throw new TypeError(`${context}: The provided value '${t}' is not a valid enum value of type RTCSdpType.`);
  return { type: t as RTCSdpType, sdp: sdp === undefined ? '' : String(sdp) };
}

/** A session description: `type` and `sdp`, read-only. */
export class RTCSessionDescription {
  readonly #type: RTCSdpType;
  readonly #sdp: string;

  constructor(descriptionInitDict: RTCSessionDescriptionInit) {
    const init = toDescriptionInit(descriptionInitDict, "Failed to construct 'RTCSessionDescription'");
    this.#type = init.type;
    this.#sdp = init.sdp ?? '';
  }

  get type(): RTCSdpType {
    return this.#type;
  }

  get sdp(): string {
    return this.#sdp;
  }

  toJSON(): RTCSessionDescriptionInit {
    return { type: this.#type, sdp: this.#sdp };
  }
}
exposeInterface(RTCSessionDescription);

/** `RTCIceCandidateInit`. */
export interface RTCIceCandidateInit {
  candidate?: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

/** Converts a value to `RTCIceCandidateInit` (null and undefined: the end-of-candidates marker). */
export function toCandidateInit(value: unknown): RTCIceCandidateInit {
  if (value === null || value === undefined) return { candidate: '' };
  const v = value as Record<string, unknown>;
  const optional = (x: unknown) => (x === undefined || x === null ? null : String(x));
  const index = v.sdpMLineIndex === undefined || v.sdpMLineIndex === null ? null : Number(v.sdpMLineIndex) & 0xffff;
  return { candidate: v.candidate === undefined ? '' : String(v.candidate), sdpMid: optional(v.sdpMid), sdpMLineIndex: index, usernameFragment: optional(v.usernameFragment) };
}

/** One ICE candidate, as signalled. The fields parsed from the candidate line are read-only attributes. */
export class RTCIceCandidate {
  readonly #init: Required<RTCIceCandidateInit>;

  /** TypeError when both `sdpMid` and `sdpMLineIndex` are null (https://w3c.github.io/webrtc-pc/#dom-rtcicecandidate-constructor). */
  constructor(candidateInitDict: RTCIceCandidateInit = {}) {
    const init = toCandidateInit(candidateInitDict);
    if (init.sdpMid === null && init.sdpMLineIndex === null) {
      throw new TypeError("Failed to construct 'RTCIceCandidate': sdpMid and sdpMLineIndex are both null.");
    }
    this.#init = { candidate: init.candidate ?? '', sdpMid: init.sdpMid ?? null, sdpMLineIndex: init.sdpMLineIndex ?? null, usernameFragment: init.usernameFragment ?? null };
  }

  get candidate(): string {
    return this.#init.candidate;
  }

  get sdpMid(): string | null {
    return this.#init.sdpMid;
  }

  get sdpMLineIndex(): number | null {
    return this.#init.sdpMLineIndex;
  }

  get usernameFragment(): string | null {
    return this.#init.usernameFragment;
  }

  /** The address of the candidate line, or null. */
  get address(): string | null {
    return this.#field(4);
  }

  get port(): number | null {
    const p = this.#field(5);
    return p === null ? null : Number(p);
  }

  get protocol(): string | null {
    return this.#field(2)?.toLowerCase() ?? null;
  }

  get type(): string | null {
    const fields = this.#fields();
    const at = fields.indexOf('typ');
    return at >= 0 ? (fields[at + 1] ?? null) : null;
  }

  toJSON(): RTCIceCandidateInit {
    return { ...this.#init };
  }

  #fields(): string[] {
    return this.#init.candidate.replace(/^(a=)?candidate:/, '').trim().split(/\s+/);
  }

  #field(index: number): string | null {
    return this.#fields()[index] ?? null;
  }
}
exposeInterface(RTCIceCandidate);
