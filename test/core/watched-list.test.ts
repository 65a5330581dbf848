/** The kept device list of a provider whose watcher vouches for it (src/backends/common/watched-list.ts). */
import { describe, it, expect } from 'vitest';
import { WatchedList } from '../../src/backends/common/watched-list.js';

describe('WatchedList', () => {
  it('reads on every call while no watcher vouches, and keeps one read per version once one does', async () => {
    let version: number | undefined;
    let reads = 0;
    const list = new WatchedList<number>(() => version);
    const read = async () => ++reads;
    expect(await list.get(read)).toBe(1);
    expect(await list.get(read)).toBe(2);
    version = 7;
    expect(await list.get(read)).toBe(3);
    expect(await list.get(read)).toBe(3);
    version = 8; // a change
    expect(await list.get(read)).toBe(4);
    expect(await list.get(read)).toBe(4);
    version = undefined; // the watcher stopped
    expect(await list.get(read)).toBe(5);
    version = 8; // and runs again at a version seen before: the old list is not trusted
    expect(await list.get(read)).toBe(6);
  });

  it('shares a read in progress, and does not keep a read that a change overtook', async () => {
    let version = 1;
    let reads = 0;
    const list = new WatchedList<number>(() => version);
    let finish!: () => void;
    const slow = () => new Promise<number>((resolve) => (finish = () => resolve(++reads)));
    const a = list.get(slow);
    const b = list.get(slow);
    expect(a).toBe(b);
    version = 2; // a device came while the list was being read
    finish();
    expect(await a).toBe(1);
    expect(await list.get(async () => ++reads)).toBe(2);
    expect(await list.get(async () => ++reads)).toBe(2);
  });

  it('does not keep a failed read, nor one `keep` refuses', async () => {
    const list = new WatchedList<number>(() => 1);
    await expect(list.get(() => Promise.reject(new Error('pactl failed')))).rejects.toThrow('pactl failed');
    expect(await list.get(async () => -1, (n) => n > 0)).toBe(-1);
    expect(await list.get(async () => 5, (n) => n > 0)).toBe(5);
    expect(await list.get(async () => 6)).toBe(5);
  });
});
