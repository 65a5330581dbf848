/**
 * ALSA in backend selection: the `alsa` entry, and `auto` using ALSA where the kernel lists a
 * sound card and no PulseAudio server answers.
 */
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { AlsaProvider, AlsaWithoutServer, hasSoundCards } from '../../src/backends/alsa/index.js';
import { registerPackageBackends } from '../../src/backends/index.js';
import { parseBackendList, selectBackends } from '../../src/backends/select.js';

registerPackageBackends();

const dir = fileURLToPath(new URL('./fixtures/laptop-c920/', import.meta.url));

describe('ALSA in backend selection', () => {
  const bare = { env: {}, hasPactl: () => false, hasVideoNodes: () => false };

  it('is an entry of its own', () => {
    expect(parseBackendList('alsa,pulse')).toEqual([{ kind: 'alsa' }, { kind: 'pulse' }]);
    const s = selectBackends({ ...bare, backends: 'alsa' });
    expect(s.entries).toEqual(['alsa']);
    expect(s.providers.map((p) => p.name)).toEqual(['alsa']);
  });

  it('auto adds ALSA only where the kernel lists a sound card', () => {
    expect(selectBackends({ ...bare, hasSoundCards: () => false }).entries).toEqual(['builtin (kinds without a real device)']);
    expect(selectBackends({ ...bare, hasSoundCards: () => true }).entries).toEqual(['alsa (without a sound server)', 'builtin (kinds without a real device)']);
    expect(hasSoundCards(dir)).toBe(true);
    expect(hasSoundCards('/nonexistent')).toBe(false);
  });

  it('lists the ALSA devices only while no sound server answers', async () => {
    let answers = true;
    const fallback = new AlsaWithoutServer(new AlsaProvider({ asoundRoot: dir, sysRoot: '/nonexistent' }), async () => answers);
    expect(await fallback.enumerate()).toEqual([]);
    answers = false;
    expect((await fallback.enumerate()).map((d) => d.rawId)).toEqual(['plughw:CARD=PCH,DEV=0', 'plughw:CARD=C920,DEV=0']);
  });
});
