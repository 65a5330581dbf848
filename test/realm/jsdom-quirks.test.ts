/**
 * What src/realm/realm.ts relies on or works around in jsdom, each shown to still hold. When one
 * of these fails after a jsdom upgrade, the code that names it can change.
 */
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';

function window(): Window & { eval(code: string): unknown } {
  return new JSDOM('', { runScripts: 'outside-only' }).window as unknown as Window & { eval(code: string): unknown };
}

describe('jsdom', () => {
  it('brand-checks the receiver of EventTarget and Event members: an object merely re-prototyped is refused', () => {
    const w = window();
    expect(w.eval(`try { EventTarget.prototype.addEventListener.call(Object.create(EventTarget.prototype), 'x', () => {}); 'accepted' } catch (e) { e.constructor.name }`)).toBe('TypeError');
  });

  it('keeps the implementation of a wrapper under an own symbol described "impl", with the _dispatch that jsdom fires its own events with', () => {
    const w = window();
    const target = new (w as unknown as { EventTarget: typeof EventTarget }).EventTarget();
    const impl = Object.getOwnPropertySymbols(target).find((s) => s.description === 'impl');
    expect(impl).toBeDefined();
    expect(typeof (target as unknown as Record<symbol, { _dispatch?: unknown }>)[impl!]!._dispatch).toBe('function');
  });

  it('sets isTrusted to false in the public dispatchEvent, so events the user agent fires need the implementation\'s dispatch', () => {
    const w = window();
    const result = w.eval(`
      const t = new EventTarget();
      const e = new Event('x');
      const impl = Object.getOwnPropertySymbols(e).find((s) => s.description === 'impl');
      e[impl].isTrusted = true;
      let seen;
      t.addEventListener('x', (ev) => { seen = ev.isTrusted; });
      t.dispatchEvent(e);
      seen`);
    expect(result).toBe(false);
  });

  it('gives its own interface objects Node\'s Function.prototype, not the window\'s (so idlharness\'s globalOf() finds the wrong global for interfaces inheriting from them)', () => {
    const w = window();
    expect(w.eval(`Object.getPrototypeOf(EventTarget) === Function.prototype`)).toBe(false);
  });
});
