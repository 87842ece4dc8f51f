/* Hearth analytics: no cookie, no storage (docs/analytics.md). */
(() => {
  const w = window, n = navigator, d = document, s = d.currentScript || {}, o = s.dataset || {};
  const url = w.HEARTH_TRACK_URL || o.endpoint || (w.HEARTH_FUNCTIONS_URL || '') + '/track';
  // data-respect-dnt: nothing under Do Not Track or Global Privacy Control.
  const off = 'respectDnt' in o && (n.doNotTrack == 1 || w.doNotTrack == 1 || n.globalPrivacyControl);
  let ref = d.referrer, seen;

  function track(name, p = {}) {
    if (off) return;
    // A random id: sent twice, counted once. A string is text/plain: no preflight.
    const body = JSON.stringify({
      id: crypto.randomUUID ? crypto.randomUUID() : [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b + 256).join(''),
      name, url: location.href, referrer: ref || undefined, step: p.step, form: p.form, host: p.host,
    });
    if (!(n.sendBeacon && n.sendBeacon(url, body)))
      fetch(url, { method: 'POST', body, keepalive: true }).catch(() => {});
  }

  // A pageview per address; the page before is the next one's referrer.
  function view() {
    const here = location.href.split('#')[0];
    if (here != seen) {
      if (seen) ref = seen;
      seen = here;
      track('pageview');
    }
  }
  for (const k of ['pushState', 'replaceState']) {
    const f = history[k];
    history[k] = function () {
      f.apply(this, arguments), view();
    };
  }
  addEventListener('popstate', view);

  d.addEventListener('click', (e) => {
    const a = e.target.closest?.('a[href]');
    if (a && /^http/.test(a.protocol) && a.host != location.host) track('outbound', { host: a.hostname });
  }, true);
  // forms.js announces a sent form.
  d.addEventListener('hearth:sent', (e) => (e = (e.target.dataset || {}).hearth) && track('form_submit', { form: e }));

  w.hearth = Object.assign(w.hearth || {}, { track });
  view();
})();
