// The status page's only script: every 2 s it fetches the server-rendered <main> of the same URL and swaps it in,
// keeping expanded <details> open and the keyboard focus where it was. Read-only: it only ever sends GET.
(() => {
  const INTERVAL_MS = 2000;
  const main = document.getElementById('main');
  const live = document.getElementById('live');
  if (!main || !live) return;

  /** Something that finds the focused element again in the new markup: its id, its link, or its <details>. */
  function focusKey(el) {
    if (el.id) return `#${CSS.escape(el.id)}`;
    if (el.tagName === 'SUMMARY' && el.parentElement && el.parentElement.id)
      return `#${CSS.escape(el.parentElement.id)} > summary`;
    if (el.tagName === 'A') return `a[href="${CSS.escape(el.getAttribute('href') || '')}"]`;
    return null;
  }

  function swap(markup) {
    const open = [...main.querySelectorAll('details[open][id]')].map((d) => d.id);
    const active = document.activeElement;
    const key = active && main.contains(active) ? focusKey(active) : null;
    main.innerHTML = markup; // markup rendered and escaped by the server, from this origin only (CSP)
    for (const id of open) document.getElementById(id)?.setAttribute('open', '');
    const again = key ? main.querySelector(key) : null;
    if (again) again.focus({ preventScroll: true });
  }

  function show(ok, text) {
    live.textContent = text;
    live.className = ok ? 'live' : 'live offline';
  }

  async function refresh() {
    if (document.hidden) return setTimeout(refresh, INTERVAL_MS);
    try {
      const res = await fetch(location.pathname, {
        headers: { 'x-feedctl-fragment': '1' },
        credentials: 'same-origin',
        cache: 'no-store',
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      swap(await res.text());
      show(true, `live · ${new Date().toISOString().slice(11, 19)} UTC`);
    } catch (err) {
      show(false, `offline (${err instanceof Error ? err.message : 'error'}): retrying`);
    }
    setTimeout(refresh, INTERVAL_MS);
  }

  setTimeout(refresh, INTERVAL_MS);
})();
