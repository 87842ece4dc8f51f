/* Hearth forms: enhances <form data-hearth> (which work without it too).
 * Plain ES2017, no dependencies. */
(() => {
  const KEY = 'hearth:outbox';
  const KNOWN = ['email', 'name', 'company', 'mobile', 'message', 'source', 'page', 'website'];
  const DELAYS = [5e3, 15e3, 6e4, 3e5];
  const script = document.currentScript;
  const scriptUrl = script && script.dataset.endpoint;
  const start = Date.now();
  const shownAt = new WeakMap();
  const forms = {}; // submission id -> form
  let memory = []; // if localStorage is blocked
  let fails = 0;
  let holdUntil = 0; // Retry-After
  let timer;
  let chain = Promise.resolve();

  // Outbox: [{endpoint, body, id, queuedAt}], re-read per change (tabs share it)
  function load() {
    try {
      return JSON.parse(localStorage.getItem(KEY)) || [];
    } catch (e) {
      return memory;
    }
  }
  function store(list) {
    memory = list;
    try {
      localStorage.setItem(KEY, JSON.stringify(list));
    } catch (e) {}
  }

  // 2xx or 4xx settles an entry (a 4xx never will succeed); 5xx or offline keeps it.
  async function attempt(entry) {
    const id = entry.id;
    const form = forms[id];
    let res, data;
    try {
      res = await fetch(entry.endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': id },
        body: JSON.stringify(entry.body),
      });
      data = await res.json();
    } catch (e) {}
    const status = res ? res.status : 0;
    let type = status < 300 ? 'sent' : 'error';
    if (status && status < 500) {
      store(load().filter((e) => e.id != id));
      delete forms[id];
      fails = 0;
    } else {
      type = 'queued';
      holdUntil = Date.now() + (Math.min(res && res.headers.get('Retry-After') * 1e3, 36e5) || 0);
      clearTimeout(timer);
      timer = setTimeout(() => flush(1), Math.max(DELAYS[Math.min(fails++, 3)], holdUntil - Date.now()));
      if (!form || form.dataset.hearthState == type) return; // retries fail quietly
      store(load().concat(entry));
      say(form, "Saved — we'll send it as soon as you're back online.");
    }
    if (form) (type == 'sent' ? done : type == 'error' ? fail : setState)(form, type, data || {});
    (form || document).dispatchEvent(
      new CustomEvent('hearth:' + type, { bubbles: true, detail: { id, status, data } })
    );
    return type != 'queued';
  }

  // Chained: each promise covers a full pass begun after the call.
  function flush(force) {
    return (chain = chain
      .then(async () => {
        if (force || Date.now() > holdUntil)
          for (const entry of load()) if (!(await attempt(entry))) break;
      })
      .catch(() => {}));
  }

  function setState(form, state) {
    form.dataset.hearthState = state;
    form.setAttribute('aria-busy', state == 'sending');
    for (const b of form.querySelectorAll('[type=submit],button:not([type])')) {
      b.disabled = /sending|queued/.test(state); // no double submissions
    }
  }

  function add(parent, cls, role, tag) {
    const el = parent.appendChild(document.createElement(tag || 'p'));
    el.className = cls;
    el.setAttribute('role', role);
    return el;
  }

  function show(el, text) {
    el.textContent = text;
    el.hidden = !text;
  }

  function say(form, text) {
    const el = form.querySelector('[data-hearth-message]') || (text && add(form, 'hearth-message', 'status'));
    if (el) {
      el.dataset.hearthMessage = '';
      show(el, text);
    }
  }

  function done(form) {
    setState(form, 'sent');
    say(form, '');
    form.reset(); // first: a reset handler may show things
    let ok = form.querySelector('[data-hearth-success]');
    if (ok) for (const c of form.children) c.hidden = !c.contains(ok);
    else {
      form.textContent = '';
      ok = add(form, 'hearth-thanks', 'status');
      ok.textContent = 'Thank you — it has been sent.';
    }
    ok.hidden = false;
    ok.tabIndex = -1;
    ok.focus();
  }

  function fail(form, type, data) {
    setState(form, type);
    const text = [data.message || 'Sorry, something went wrong.'];
    for (const [key, msg] of Object.entries(data.fields || {})) {
      const name = CSS.escape(key.replace(/^answers\./, ''));
      const inputs = form.querySelectorAll(`[name="${name}"]:not([type=hidden])`);
      const last = inputs[inputs.length - 1];
      let el = form.querySelector(`[data-hearth-error-for="${CSS.escape(key)}"]`);
      if (!el && last) {
        el = add(form, 'hearth-error', 'alert', 'span');
        el.dataset.hearthErrorFor = key;
        (last.closest('label') || last).after(el);
      }
      if (el) show(el, msg);
      else text.push(msg);
      for (const i of inputs) i.setAttribute('aria-invalid', true);
    }
    say(form, text.join(' '));
  }

  function build(form) {
    const body = { form: form.dataset.hearth };
    const answers = (body.answers = Object.create(null));
    for (const [name, value] of new FormData(form)) {
      // form, _redirect, hidden consent: for plain posts
      if (/^(form|consent|_.*)$/.test(name)) continue;
      if (KNOWN.includes(name)) body[name] = value;
      else answers[name] = name in answers ? [].concat(answers[name], value) : value;
    }
    const box = form.querySelector('input[type=checkbox][name=consent]');
    if (box) body.consent = box.checked; // the checkbox is the truth
    const query = new URLSearchParams(location.search);
    const ref = document.referrer && new URL(document.referrer).hostname;
    body.source = body.source || query.get('source') || query.get('utm_source') || (ref != location.hostname && ref) || undefined;
    body.page = location.pathname;
    // Same id on every retry: the server drops repeats.
    body.submission_id = crypto.randomUUID
      ? crypto.randomUUID()
      : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => (b + 256).toString(16).slice(1)).join('');
    body.elapsed_ms = Date.now() - (shownAt.get(form) || start);
    return body;
  }

  // Delegated, for later forms too. A site's own cancel (wizard "next") wins.
  document.addEventListener('submit', (e) => {
    const form = e.target;
    if (e.defaultPrevented || !form.matches('form[data-hearth]')) return;
    e.preventDefault();
    if (/sending|queued/.test(form.dataset.hearthState)) return;
    for (const el of form.querySelectorAll('[data-hearth-error-for]')) show(el, '');
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    say(form, '');
    const body = build(form);
    const url = window.HEARTH_INTAKE_URL || scriptUrl || form.getAttribute('action') || '';
    const entry = { endpoint: new URL(url, location).href, body, id: body.submission_id, queuedAt: Date.now() };
    forms[entry.id] = form;
    setState(form, 'sending');
    attempt(entry);
  });

  const scan = () => {
    for (const form of document.querySelectorAll('form[data-hearth]:not([data-hearth-state])')) {
      shownAt.set(form, Date.now());
      setState(form, 'ready');
    }
  };
  scan();
  document.addEventListener('DOMContentLoaded', scan);

  addEventListener('online', () => flush());
  window.HearthForms = { flush: () => flush(1) };
  flush(); // left by an earlier visit
})();
