/* Hearth analytics: no cookie, no storage (docs/analytics.md). */
(() => {
  const w = window, nav = navigator, doc = document, tag = (doc.currentScript || {}).dataset || {};
  const endpoint = w.HEARTH_TRACK_URL || tag.endpoint || (w.HEARTH_FUNCTIONS_URL || '') + '/track';
  // data-respect-dnt: nothing under Do Not Track or Global Privacy Control.
  const off = 'respectDnt' in tag && (nav.doNotTrack == 1 || w.doNotTrack == 1 || nav.globalPrivacyControl);
  let referrer = doc.referrer, shown;

  function track(name, { step, form, host } = {}) {
    if (off) return;
    // The id: a resent hit counts once (randomUUID is https only). A string body is
    // text/plain: no preflight.
    const id = crypto.randomUUID?.() || [...crypto.getRandomValues(new Uint8Array(16))].join('-');
    const body = JSON.stringify({ id, name, url: location.href, referrer: referrer || undefined, step, form, host });
    if (!nav.sendBeacon?.(endpoint, body)) fetch(endpoint, { method: 'POST', body, keepalive: true }).catch(() => {});
  }

  // A pageview per address; the page before is the next one's referrer.
  function view() {
    const here = location.href.split('#')[0];
    if (here == shown) return;
    if (shown) referrer = shown;
    shown = here;
    track('pageview');
  }
  for (const method of ['pushState', 'replaceState']) {
    const original = history[method];
    history[method] = function (...args) {
      original.apply(this, args);
      view();
    };
  }
  addEventListener('popstate', view);

  doc.addEventListener('click', (e) => {
    const link = e.target.closest?.('a[href]');
    if (link && /^http/.test(link.protocol) && link.host != location.host) track('outbound', { host: link.hostname });
  }, true);
  // forms.js announces a sent form.
  doc.addEventListener('hearth:sent', (e) => {
    const form = e.target.dataset?.hearth;
    if (form) track('form_submit', { form });
  });

  w.hearth = Object.assign(w.hearth || {}, { track });
  view();
})();
