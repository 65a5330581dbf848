/**
 * Shared by the wrtc tests: whether they can run, connections over a chosen stack, connecting
 * two of them, and the wrtc host processes of a process.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { RTCPeerConnection } from '../../src/webrtc/index.js';
import { chooseStack } from '../../src/webrtc/select.js';
import { hostScriptPath } from '../../src/webrtc/wrtc/host-process.js';
import { resolveWrtc } from '../../src/webrtc/wrtc/index.js';

/** Why the wrtc tests cannot run here, or null. */
export const missing = resolveWrtc() === null ? '@roamhq/wrtc is not installed (npm install @roamhq/wrtc)' : !existsSync(hostScriptPath()) ? 'the wrtc host script is not built (npm run build)' : null;
if (missing) console.warn(`wrtc tests skipped: ${missing}`);

/**
 * Connects two peer connections (trickle ICE), pc1 offering. Candidates are added as they come,
 * some before the remote description (werift gathers at once): they wait for it.
 */
export async function connect(pc1: RTCPeerConnection, pc2: RTCPeerConnection): Promise<void> {
  pc1.onicecandidate = (e) => e.candidate && void pc2.addIceCandidate(e.candidate);
  pc2.onicecandidate = (e) => e.candidate && void pc1.addIceCandidate(e.candidate);
  await pc1.setLocalDescription(await pc1.createOffer());
  await pc2.setRemoteDescription(pc1.localDescription!);
  await pc2.setLocalDescription(await pc2.createAnswer());
  await pc1.setRemoteDescription(pc2.localDescription!);
}

/** A connection over `stack`. */
export function connection(stack: 'wrtc' | 'werift'): RTCPeerConnection {
  chooseStack(stack);
  try {
    return new RTCPeerConnection();
  } finally {
    chooseStack(null);
  }
}

/** The pids of the wrtc host processes whose parent is `parent`. */
export function hostPids(parent = process.pid): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === parent && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('wrtc/host.js');
      } catch {
        return false;
      }
    })
    .map(Number);
}

