// Reactive CSS properties set through the CSSOM: the Content-Security-Policy forbids inline
// style attributes, so colours and sizes computed at run time are applied here instead.
import { createEffect } from 'solid-js';

/**
 * Keeps `el`'s CSS properties equal to `props()`; call it from a `ref` callback (it runs in the
 * element's owner, so the effect ends with the element).
 */
export function bindCss(el: HTMLElement, props: () => Readonly<Record<string, string>>): void {
  createEffect(() => {
    for (const [k, v] of Object.entries(props())) el.style.setProperty(k, v);
  });
}
