/* Hearth bookings, for any site: <div data-hearth-booking> becomes a booking form (kind
 * of call, day, time, then who you are); <div data-hearth-manage> is the page a
 * confirmation links to (the booking; cancel, reschedule, calendar file).
 * Plain ES2020, no dependencies. Text from the server is only ever set as text. */
(() => {
  const script = document.currentScript;
  const query = new URLSearchParams(location.search);
  const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const DAYS = 14; // a page of the day strip
  const PAGES = 26; // how far "later" goes: about a year
  const DRAFT = 'hearth:booking-draft';
  const CSS = `
:where(.hb-nav){display:flex;align-items:center;justify-content:space-between;gap:.5rem}
:where(.hb-days){display:grid;grid-template-columns:repeat(7,minmax(0,1fr));gap:.3rem}
:where(.hb-days button){display:grid;justify-items:center;padding:.3rem 0;line-height:1.25}
:where(.hb-slots){display:flex;flex-wrap:wrap;align-content:flex-start;gap:.4rem;min-height:6.5rem;margin:.75rem 0}
:where(.hb-picker [aria-pressed=true]){background:#222;color:#fff}
:where(.hb-picker button:disabled){opacity:.4}
:where(.hb-form,.hb-field){display:grid;gap:.4rem}
:where(.hb-status){min-height:1lh;margin:0}
:where(.hb-chosen){min-height:2lh}
:where(.hb-error,.hb-bad){color:#b3261e}
:where(.hb-hp){position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
:where(.hb-sr){position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
:where(.hb-actions){display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}`;
  let count = 0; // makes element ids unique when a page has several widgets

  // An element: props the element has are set as properties (textContent, hidden…),
  // others as attributes, on* as listeners; children are appended as text or nodes.
  function h(tag, props, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v == null) continue;
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k in el && !k.includes('-')) el[k] = v;
      else el.setAttribute(k, v);
    }
    el.append(...kids.flat().filter((k) => k != null && k !== false));
    return el;
  }

  // {status, data}; status 0 when the network failed.
  async function call(url, body) {
    try {
      const init = body && {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      };
      const res = await fetch(url, init);
      return { status: res.status, data: await res.json().catch(() => ({})) };
    } catch (e) {
      return { status: 0, data: {} };
    }
  }

  const base = (el) =>
    (window.HEARTH_FUNCTIONS_URL || el.dataset.endpoint || (script && script.dataset.endpoint) || '').replace(/\/+$/, '');
  const uuid = () =>
    crypto.randomUUID
      ? crypto.randomUUID()
      : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => (b + 256).toString(16).slice(1)).join('');
  // Only web links from the server become links (never javascript: or data:).
  const safe = (url) => {
    if (!url || typeof url != 'string') return null;
    try {
      const u = new URL(url, location.href);
      return /^https?:$/.test(u.protocol) ? u.href : null;
    } catch (e) {
      return null;
    }
  };

  const fmt = (iso, tz, o) => new Intl.DateTimeFormat(undefined, { timeZone: tz, ...o }).format(new Date(iso));
  const time = (iso, tz) => fmt(iso, tz, { timeStyle: 'short' });
  const when = (iso, tz) => fmt(iso, tz, { dateStyle: 'full', timeStyle: 'short' });
  // A calendar date ("2026-11-24") is the same day in every zone: shown at noon UTC.
  const date = (d, o) => fmt(d + 'T12:00Z', 'UTC', o);
  const plus = (d, n) => new Date(Date.parse(d + 'T12:00Z') + n * 864e5).toISOString().slice(0, 10);
  const zoneName = (tz) => tz.replace(/_/g, ' ');

  function status() {
    const el = h('p', { className: 'hb-status', role: 'status', 'aria-live': 'polite' });
    el.say = (text, bad) => {
      el.textContent = text || '';
      el.classList.toggle('hb-bad', !!bad);
    };
    return el;
  }

  // What a booking is, for people: when (their zone, in words), what, the video link.
  function details(b, tz) {
    const video = safe(b.videoLink);
    const type = b.type || {};
    return [
      h('p', { className: 'hb-when' }, `${when(b.start, tz)} – ${time(b.end, tz)}`),
      h('p', { className: 'hb-what' }, `${type.label}, ${type.minutes} minutes. Times in ${zoneName(tz)}.`),
      video
        ? h('p', { className: 'hb-video' }, 'Video call: ', h('a', { href: video, target: '_blank', rel: 'noopener' }, b.videoLink))
        : h('p', { className: 'hb-video' }, "We'll send you the video link before the call."),
    ];
  }

  /* The day strip and the times of the chosen day, 14 days a page, in the visitor's zone.
   * onChange(slot) hears every change of the chosen time (null: none). */
  function picker({ endpoint, type, source, fixedType, onChange }) {
    const id = `hb${++count}`;
    let tz = ZONE;
    let page = 0;
    let anchor = null; // first date of page 0, as the server counted it
    let data = { days: [] };
    let day = null;
    let slot = null;
    let seq = 0; // only the newest answer is shown
    let kinds = ''; // the types the radios were made for
    let broken = false; // the last load failed
    const tzLine = h('p', { className: 'hb-tz' });
    const linkLine = h('p', { className: 'hb-link', hidden: true }); // a named booking link
    const types = h('fieldset', { className: 'hb-types', hidden: true });
    const prev = h('button', { type: 'button', className: 'hb-prev', 'aria-label': 'Earlier dates', onclick: () => go(-1) }, '‹');
    const next = h('button', { type: 'button', className: 'hb-next', 'aria-label': 'Later dates', onclick: () => go(1) }, '›');
    const range = h('p', { className: 'hb-range', 'aria-live': 'polite' });
    const days = h('div', { className: 'hb-days', role: 'group', 'aria-label': 'Days' });
    const slots = h('div', { className: 'hb-slots', role: 'group', 'aria-label': 'Times' });
    const note = status(); // right above the times, where the eyes are
    const say = note.say;
    const el = h('div', { className: 'hb-picker' }, linkLine, tzLine, types, h('div', { className: 'hb-nav' }, prev, range, next), days, note, slots);

    // Days and times are each one stop for Tab (the chosen one, else the first);
    // arrow keys move within them.
    const rove = (group, to) => {
      const all = [...group.querySelectorAll('button:not(:disabled)')];
      to = to || all.find((b) => b.getAttribute('aria-pressed') == 'true') || all[0];
      for (const b of all) b.tabIndex = b == to ? 0 : -1;
    };
    el.addEventListener('keydown', (e) => {
      const step = { ArrowLeft: -1, ArrowUp: -1, ArrowRight: 1, ArrowDown: 1 }[e.key];
      const group = step && e.target.closest('.hb-days,.hb-slots');
      if (!group) return;
      const all = [...group.querySelectorAll('button:not(:disabled)')];
      const to = all[all.indexOf(e.target) + step];
      if (to) {
        rove(group, to);
        to.focus();
      }
      e.preventDefault();
    });

    function go(step) {
      page = Math.max(0, Math.min(PAGES, page + step));
      day = slot = null;
      say('');
      load();
    }

    async function load(keep) {
      const n = ++seq;
      el.setAttribute('aria-busy', 'true');
      for (const b of el.querySelectorAll('.hb-days button,.hb-slots button')) b.disabled = true;
      const params = new URLSearchParams();
      for (const [k, v] of [['type', type], ['tz', tz], ['source', source]]) if (v) params.set(k, v);
      if (anchor) {
        params.set('from', plus(anchor, page * DAYS));
        params.set('to', plus(anchor, page * DAYS + DAYS - 1));
      }
      const r = await call(`${endpoint}/availability?${params}`);
      if (n != seq) return;
      el.removeAttribute('aria-busy');
      if (r.status == 400 && r.data.fields && r.data.fields.tz && tz) {
        tz = ''; // a zone the server does not know: it then shows its own
        return load(keep);
      }
      if (r.status != 200) {
        broken = true;
        say('Sorry, the free times could not be loaded.', 1);
        slots.replaceChildren(h('button', { type: 'button', onclick: () => load(keep) }, 'Try again'));
        return;
      }
      if (broken) say('');
      broken = false;
      data = r.data;
      tz = data.visitorTimeZone || tz;
      type = (data.type && data.type.id) || type;
      anchor = anchor || (data.days[0] && data.days[0].date);
      render(keep);
    }

    function render(keep) {
      tzLine.textContent = `Times shown in ${zoneName(tz)}`;
      const label = data.link && data.link.label;
      linkLine.hidden = !label;
      linkLine.textContent = label ? `Booking for ${label}` : '';
      const list = data.types || [];
      types.hidden = fixedType || list.length < 2;
      // Made again only when the types change, so a radio keeps the keyboard's focus.
      if (kinds != (kinds = JSON.stringify(list))) {
        types.replaceChildren(
          h('legend', {}, 'What kind of call?'),
          ...list.map((t) =>
            h('label', { className: 'hb-type' },
              h('input', { type: 'radio', name: `${id}-type`, value: t.id, onchange: () => {
                type = t.id;
                slot = null;
                load(1);
              } }),
              ` ${t.label} (${t.minutes} min)`)
          )
        );
      }
      for (const r of types.querySelectorAll('input')) r.checked = r.value == type;
      prev.disabled = !page;
      next.disabled = page >= PAGES;
      const all = data.days;
      range.textContent = all.length
        ? `${date(all[0].date, { day: 'numeric', month: 'short' })} – ${date(all[all.length - 1].date, { day: 'numeric', month: 'short', year: 'numeric' })}`
        : '';
      const open = all.filter((d) => d.slots.length);
      if (!keep || !open.some((d) => d.date == day)) day = ((day && open.find((d) => d.date > day)) || open[0] || {}).date;
      days.replaceChildren(
        ...all.map((d) =>
          h('button', {
            type: 'button',
            disabled: !d.slots.length,
            'data-date': d.date,
            'aria-pressed': String(d.date == day),
            onclick: () => pick(d.date),
          }, h('span', {}, date(d.date, { weekday: 'short' })), ' ', h('b', {}, date(d.date, { day: 'numeric' })),
          // Its name is what it shows, then what a glance at the strip adds.
          h('span', { className: 'hb-sr' }, ` ${date(d.date, { month: 'long' })}, ${d.slots.length || 'no'} times`))
        )
      );
      rove(days);
      times();
    }

    function pick(d) {
      day = d;
      for (const b of days.children) b.setAttribute('aria-pressed', String(b.dataset.date == d));
      rove(days);
      times();
    }

    function times() {
      const d = data.days.find((x) => x.date == day);
      slot = (slot && d && d.slots.find((s) => s.start == slot.start)) || null;
      slots.setAttribute('aria-label', d ? `Times on ${date(day, { weekday: 'long', day: 'numeric', month: 'long' })}` : 'Times');
      slots.replaceChildren(
        ...(d
          ? d.slots.map((s) =>
              h('button', {
                type: 'button',
                'data-start': s.start,
                'aria-pressed': String(!!slot && s.start == slot.start),
                onclick: () => choose(s),
              }, time(s.start, tz))
            )
          : [h('p', { className: 'hb-none' }, 'No free times in these two weeks. Try later dates.')])
      );
      rove(slots);
      onChange(slot);
    }

    function choose(s) {
      slot = s;
      say('');
      for (const b of slots.children) b.setAttribute('aria-pressed', String(b.dataset.start == s.start));
      rove(slots);
      onChange(slot);
    }

    load();
    return {
      el,
      slot: () => slot,
      tz: () => tz,
      type: () => (data.types || []).find((t) => t.id == type) || data.type || {},
      // After "that time was just taken": the same days again, the time chosen anew.
      reload: () => {
        slot = null;
        onChange(null);
        return load(1);
      },
      // To the first time, with the message above the times in sight too.
      focus: () => {
        (slots.querySelector('button:not(:disabled)') || days).focus({ preventScroll: true });
        note.scrollIntoView({ block: 'nearest' });
      },
      say,
    };
  }

  /* A new booking: the picker, then who you are. */
  function booking(root) {
    const endpoint = base(root);
    const pre = `hb${++count}-`;
    const ref = document.referrer && new URL(document.referrer).hostname;
    const source =
      root.dataset.source || query.get('source') || query.get('utm_source') || (ref != location.hostname && ref) || undefined;
    const shown = Date.now();
    let lost = null; // the last body sent whose answer never came (it may have booked)
    let busy = false;
    const note = status();
    const chosen = h('p', { className: 'hb-chosen', 'aria-live': 'polite' }, 'Choose a day and a time.');
    const p = picker({
      endpoint,
      source,
      type: root.dataset.type || query.get('type'),
      onChange: (s) => {
        chosen.textContent = s ? `${p.type().label}: ${when(s.start, p.tz())}` : 'Choose a day and a time.';
      },
    });

    const field = (name, label, input, optional) => {
      input.id = pre + name;
      input.name = name;
      const error = h('span', { className: 'hb-error', id: `${pre + name}-error`, hidden: true });
      input.setAttribute('aria-describedby', error.id);
      return h('div', { className: 'hb-field' },
        h('label', { htmlFor: input.id }, label, optional && h('span', { className: 'hb-optional' }, ' (optional)')),
        input, error);
    };
    const submit = h('button', { type: 'submit', className: 'hb-submit' }, 'Book this time');
    const form = h('form', { className: 'hb-form' },
      field('name', 'Name', h('input', { autocomplete: 'name', required: true })),
      field('email', 'E-mail', h('input', { type: 'email', autocomplete: 'email', required: true })),
      field('mobile', 'Mobile', h('input', { type: 'tel', autocomplete: 'tel', inputMode: 'tel' }), 1),
      field('notes', root.dataset.notesLabel || 'Anything I should know?', h('textarea', { rows: 3, maxLength: 2000 }), 1),
      h('div', { className: 'hb-check' },
        h('input', { type: 'checkbox', id: `${pre}consent`, name: 'consent' }),
        h('label', { htmlFor: `${pre}consent` }, root.dataset.consentLabel || 'Send me occasional news')),
      h('div', { className: 'hb-hp', 'aria-hidden': 'true' },
        h('label', { htmlFor: `${pre}website` }, 'Leave this empty'),
        h('input', { id: `${pre}website`, name: 'website', tabIndex: -1, autocomplete: 'off' })),
      chosen, submit, note);
    const el = form.elements;
    const TYPED = ['name', 'email', 'mobile', 'notes'];

    // What was typed survives a reload of the page (this tab only) until it is booked.
    try {
      const draft = JSON.parse(sessionStorage.getItem(DRAFT)) || {};
      for (const k of TYPED) if (draft[k]) el[k].value = draft[k];
      el.consent.checked = !!draft.consent;
    } catch (e) {}
    form.addEventListener('input', () => {
      const draft = { consent: el.consent.checked };
      for (const k of TYPED) draft[k] = el[k].value;
      try {
        sessionStorage.setItem(DRAFT, JSON.stringify(draft));
      } catch (e) {}
    });

    function errors(fields) {
      const rest = [];
      let first;
      for (const [k, message] of Object.entries(fields || {})) {
        const input = TYPED.includes(k) && el[k];
        if (!input) {
          rest.push(message);
          continue;
        }
        const error = form.querySelector(`#${pre + k}-error`);
        error.textContent = message;
        error.hidden = false;
        input.setAttribute('aria-invalid', 'true');
        first = first || input;
      }
      return [first, rest];
    }

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (busy) return;
      for (const k of TYPED) {
        el[k].removeAttribute('aria-invalid');
        form.querySelector(`#${pre + k}-error`).hidden = true;
      }
      const slot = p.slot();
      if (!slot) {
        p.say('Please choose a day and a time first.', 1);
        return p.focus();
      }
      const body = {
        email: el.email.value,
        name: el.name.value,
        mobile: el.mobile.value,
        notes: el.notes.value,
        consent: el.consent.checked,
        start: slot.start,
        tz: p.tz(),
        type: p.type().id,
        source,
        page: location.pathname,
        // Until an answer comes, every try is the same submission: it books once.
        submission_id: lost ? lost.submission_id : uuid(),
        website: el.website.value,
        elapsed_ms: Date.now() - shown,
      };
      busy = submit.disabled = true;
      root.dataset.hearthState = 'sending';
      form.setAttribute('aria-busy', 'true');
      note.say('Booking…');
      let r = await call(`${endpoint}/book`, body);
      // Changed since a lost answer, and that try had booked: that booking is the answer.
      const earlier = lost && r.status == 400 && r.data.fields && r.data.fields.submission_id;
      if (earlier) r = await call(`${endpoint}/book`, lost);
      lost = r.status && r.status < 500 ? null : lost || body;
      busy = submit.disabled = false;
      form.removeAttribute('aria-busy');
      root.dataset.hearthState = 'ready';
      const d = r.data;
      if (r.status >= 200 && r.status < 300) {
        try {
          sessionStorage.removeItem(DRAFT);
        } catch (e) {}
        return done(d.booking, p.tz(), earlier);
      }
      submit.textContent = 'Book this time';
      const badTime = d.fields && d.fields.start;
      if (r.status == 409 || badTime) {
        // Said beside the times, which are loaded again; what was typed stays.
        note.say('');
        errors(d.fields);
        p.say(r.status == 409 ? d.message || 'Sorry, that time was just taken. Please pick another.' : badTime, 1);
        await p.reload();
        return p.focus();
      }
      if (r.status == 400) {
        const [first, rest] = errors(d.fields);
        note.say([d.message || 'Please check the form.', ...rest].join(' '), 1);
        return first && first.focus();
      }
      if (r.status && r.status < 500) return note.say(d.message || 'Sorry, something went wrong.', 1);
      // Unknown outcome: the same submission id again is safe (the server books it once).
      submit.textContent = 'Try again';
      note.say('Sorry, we could not reach the booking service. Nothing you typed is lost: please try again.', 1);
    });

    function done(b, tz, earlier) {
      root.dataset.hearthState = 'booked';
      const view = b
        ? h('div', { className: 'hb-done', tabIndex: -1 },
            h('h3', {}, 'You’re booked'),
            earlier && h('p', { className: 'hb-earlier' }, 'Your first try had already gone through, for this time:'),
            ...details(b, tz),
            h('p', { className: 'hb-actions' },
              safe(b.icsUrl) && h('a', { href: safe(b.icsUrl), className: 'hb-ics', download: '' }, 'Add to calendar'),
              safe(b.manageUrl) && h('a', { href: safe(b.manageUrl), className: 'hb-manage' }, 'Cancel or reschedule')))
        : h('div', { className: 'hb-done', tabIndex: -1 }, h('h3', {}, 'Thank you — your booking is on its way.'));
      root.replaceChildren(view);
      view.focus();
    }

    root.replaceChildren(p.el, form);
    root.dataset.hearthState = 'ready';
  }

  /* One booking, from the signed link in its confirmation (?id=…&token=…). */
  function manage(root) {
    const endpoint = base(root);
    const id = query.get('id');
    const token = query.get('token');
    const url = (tail) => `${endpoint}/booking/${encodeURIComponent(id)}${tail}`;
    const note = status();
    const view = h('div', { className: 'hb-booking', tabIndex: -1 });
    const panel = h('div', { className: 'hb-panel' });
    let current;
    root.replaceChildren(view, panel, note);

    const gone = () => {
      root.dataset.hearthState = 'missing';
      view.replaceChildren(h('p', {}, 'This link does not match a booking. Please use the link from your confirmation.'));
      panel.replaceChildren();
    };
    const failed = (retry) => {
      note.say('Sorry, the booking service could not be reached. Please try again.', 1);
      if (retry) view.replaceChildren(h('button', { type: 'button', onclick: load }, 'Try again'));
    };

    async function load() {
      if (!id || !token) return gone();
      note.say('Loading your booking…');
      const r = await call(url(`?token=${encodeURIComponent(token)}`));
      if (r.status == 200 && r.data.booking) {
        note.say('');
        return show(r.data.booking);
      }
      if (r.status >= 400 && r.status < 500) return gone();
      failed(1);
    }

    // focus: the button pressed is gone, so the focus goes to what changed.
    function show(b, focus) {
      current = b;
      const cancelled = b.status == 'cancelled';
      const ics = safe(b.icsUrl);
      root.dataset.hearthState = b.status;
      view.replaceChildren(
        h('p', { className: `hb-state hb-${cancelled ? 'cancelled' : 'confirmed'}` }, cancelled ? 'Cancelled' : 'Confirmed'),
        ...details(b, ZONE),
        b.customer && b.customer.name && h('p', { className: 'hb-who' }, `Booked for ${b.customer.name}`),
        h('div', { className: 'hb-actions' },
          !cancelled && h('button', { type: 'button', className: 'hb-reschedule', onclick: reschedule }, 'Reschedule'),
          !cancelled && h('button', { type: 'button', className: 'hb-cancel', onclick: askCancel }, 'Cancel this call'),
          ics && h('a', { href: ics, className: 'hb-ics', download: '' }, 'Download calendar file (.ics)'))
      );
      panel.replaceChildren();
      if (focus) view.focus();
    }

    // Answers to cancel and reschedule; true when it was a change.
    function answered(r) {
      if (r.status == 200 && r.data.booking) {
        show(r.data.booking, 1);
        return true;
      }
      if (r.status == 404) gone();
      else if (r.status == 409 && r.data.error == 'cancelled') {
        note.say(r.data.message || 'This call was cancelled.', 1);
        load();
      } else if (r.status >= 400 && r.status < 500) {
        const fields = Object.values(r.data.fields || {});
        note.say([r.data.message || 'Sorry, that did not work.', ...fields].join(' '), 1);
      } else failed();
      return false;
    }

    function askCancel() {
      const reason = h('textarea', { id: 'hb-reason', rows: 2, maxLength: 500 });
      const yes = h('button', { type: 'button', className: 'hb-yes', onclick: async () => {
        yes.disabled = true;
        note.say('Cancelling…');
        const r = await call(url('/cancel'), { token, reason: reason.value.trim() || undefined });
        yes.disabled = false;
        if (answered(r)) note.say('Your call is cancelled.');
      } }, 'Yes, cancel it');
      panel.replaceChildren(
        h('div', { role: 'group', 'aria-label': 'Cancel this call' },
          h('p', {}, 'Cancel this call?'),
          h('label', { htmlFor: reason.id }, 'Reason', h('span', { className: 'hb-optional' }, ' (optional)')),
          reason,
          h('p', { className: 'hb-actions' }, yes, h('button', { type: 'button', onclick: () => show(current, 1) }, 'Keep it')))
      );
      yes.focus();
    }

    function reschedule() {
      const move = h('button', { type: 'button', className: 'hb-move', disabled: true }, 'Choose a new time');
      const p = picker({
        endpoint,
        type: current.type && current.type.id,
        source: current.source,
        fixedType: 1,
        onChange: (s) => {
          move.disabled = !s;
          move.textContent = s ? `Move to ${when(s.start, p.tz())}` : 'Choose a new time';
        },
      });
      move.onclick = async () => {
        const slot = p.slot();
        move.disabled = true;
        note.say('Moving your call…');
        const r = await call(url('/reschedule'), { token, start: slot.start, tz: p.tz() });
        move.disabled = false;
        const taken = r.data.error == 'slot_taken';
        const badTime = r.data.fields && r.data.fields.start;
        if (taken || badTime) {
          note.say('');
          p.say(taken ? r.data.message : badTime, 1);
          await p.reload();
          return p.focus();
        }
        if (answered(r)) note.say(`Your call is moved to ${when(r.data.booking.start, ZONE)}.`);
      };
      panel.replaceChildren(
        h('div', { role: 'group', 'aria-label': 'Reschedule' },
          h('p', {}, 'Pick a new time:'),
          p.el,
          h('p', { className: 'hb-actions' }, move, h('button', { type: 'button', onclick: () => show(current, 1) }, 'Keep the current time')))
      );
    }

    load();
  }

  function start() {
    if (!document.getElementById('hearth-booking-css')) {
      document.head.append(h('style', { id: 'hearth-booking-css', textContent: CSS }));
    }
    for (const el of document.querySelectorAll('[data-hearth-booking],[data-hearth-manage]')) {
      if ('hearthReady' in el.dataset) continue;
      el.dataset.hearthReady = '';
      ('hearthManage' in el.dataset ? manage : booking)(el);
    }
  }
  start();
  document.addEventListener('DOMContentLoaded', start);
  window.HearthBooking = { start };
})();
