import { describe, expect, it } from 'vitest';
import { MediaStream } from '../../src/index.js';
import { openTab, record, tasks } from './harness.js';

async function tracks() {
  const tab = openTab();
  const s = await tab.mediaDevices.getUserMedia({ audio: true, video: true });
  return { tab, audio: s.getAudioTracks()[0]!, video: s.getVideoTracks()[0]! };
}

describe('MediaStream', () => {
  it('has a UUID id and the three constructors', async () => {
    const { audio, video } = await tracks();
    const empty = new MediaStream();
    expect(empty.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(empty.active).toBe(false);
    const fromTracks = new MediaStream([audio, video, audio]);
    expect(fromTracks.getTracks()).toEqual([audio, video]);
    const fromStream = new MediaStream(fromTracks);
    expect(fromStream.getTracks()).toEqual([audio, video]);
    expect(fromStream.id).not.toBe(fromTracks.id);
    expect(() => new MediaStream([{}] as any)).toThrow(TypeError);
    expect(() => new MediaStream(42 as any)).toThrow(TypeError);
  });

  it('sorts tracks by kind and finds them by id', async () => {
    const { audio, video } = await tracks();
    const s = new MediaStream([video, audio]);
    expect(s.getAudioTracks()).toEqual([audio]);
    expect(s.getVideoTracks()).toEqual([video]);
    expect(s.getTrackById(audio.id)).toBe(audio);
    expect(s.getTrackById('nope')).toBe(null);
    expect(() => (s as any).getTrackById()).toThrow(TypeError);
  });

  it('addTrack and removeTrack change the set without addtrack/removetrack events', async () => {
    const { audio, video } = await tracks();
    const s = new MediaStream();
    const log = record(s, 'addtrack', 'removetrack');
    s.addTrack(audio);
    s.addTrack(audio);
    s.addTrack(video);
    expect(s.getTracks()).toEqual([audio, video]);
    s.removeTrack(audio);
    s.removeTrack(audio);
    expect(s.getTracks()).toEqual([video]);
    await tasks();
    expect(log).toEqual([]);
    expect(() => s.addTrack({} as any)).toThrow(TypeError);
    expect(() => (s as any).removeTrack()).toThrow(TypeError);
  });

  it('clone() clones every track', async () => {
    const { audio, video } = await tracks();
    const s = new MediaStream([audio, video]);
    const c = s.clone();
    expect(c.id).not.toBe(s.id);
    expect(c.getTracks()).toHaveLength(2);
    for (const t of c.getTracks()) expect([audio.id, video.id]).not.toContain(t.id);
    expect(c.getAudioTracks()[0]!.label).toBe(audio.label);
  });

  it('becomes inactive when its last live track ends, with Chrome\'s inactive event, queued', async () => {
    const { audio, video } = await tracks();
    const s = new MediaStream([audio, video]);
    const log = record(s, 'active', 'inactive');
    expect(s.active).toBe(true);
    audio.stop();
    expect(s.active).toBe(true);
    video.stop();
    expect(s.active).toBe(false);
    expect(log).toEqual([]);
    await tasks();
    expect(log).toEqual(['inactive']);
  });

  it('fires active when a live track is added to an inactive stream', async () => {
    const { audio } = await tracks();
    const s = new MediaStream();
    const log = record(s, 'active', 'inactive');
    s.addTrack(audio);
    await tasks();
    s.removeTrack(audio);
    await tasks();
    expect(log).toEqual(['active', 'inactive']);
  });
});
