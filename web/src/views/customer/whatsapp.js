// WhatsApp from the customer page: free text inside WhatsApp's customer-service window
// (24 hours after the customer last wrote, counted down live), an approved template
// outside it, its {{1}}, {{2}}… filled from the customer and editable, with the message
// as it will read. The window is read from the timeline the page already has (the
// customer's own WhatsApp entries), so a rep sees it as the owner does; the server
// checks it again. A send keeps its id until it is answered, so a retried click after a
// lost answer never sends twice. The template the customer's stage names (pipeline
// settings) is listed first and chosen to start with.
import { html, nothing } from "lit-html";
import { live } from "lit-html/directives/live.js";
import { watchWhatsAppTemplates } from "../../data/firestore.js";
import { formatDateTime, toDate } from "../../lib/format.js";
import { failureText, fieldErrors, outcomeText } from "./answers.js";
import { refuse, startSending, typing } from "./drafts.js";

const WINDOW_MS = 24 * 60 * 60 * 1000;

/** When the customer last wrote on WhatsApp, from the timeline's entries (null: never). */
export function lastWrote(entries) {
  let last = null;
  for (const e of entries || []) {
    if (e.type !== "whatsapp" || e.direction !== "in") continue;
    const at = toDate(e.at);
    if (at && (!last || at > last)) last = at;
  }
  return last;
}

/** "3 h 12 min" from milliseconds. */
export function remaining(ms) {
  const minutes = Math.max(1, Math.ceil(ms / 60000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? `${h} h ${m} min` : `${m} min`;
}

/** A template's body with its values in place ({{n}} left as is while empty). */
export function filled(body, values) {
  return String(body || "").replace(/\{\{(\d+)\}\}/g, (all, n) => values[Number(n) - 1] || all);
}

export function customerWhatsApp(view) {
  const { s } = view;
  s.whatsapp ||= { text: "", template: "", values: [], error: null, sendId: null, picked: false };
  s.busy.whatsapp = false;
  let templates = [];
  let stop = null;
  let tick = null;

  function start() {
    if (!view.ctx || !view.ctx.db) return;
    stop = watchWhatsAppTemplates(
      view.ctx.db,
      (found) => {
        templates = found;
        view.update();
      },
      () => {},
    );
    tick = setInterval(() => view.update(), 30_000); // the countdown moves on
  }

  function stopAll() {
    stop?.();
    stop = null;
    if (tick) clearInterval(tick);
  }

  function chosen() {
    return templates.find((t) => t.id === s.whatsapp.template) || null;
  }

  /** The templates of the name the customer's stage suggests (none: no suggestion). */
  function suggested() {
    const stage = view.ctx?.stages?.byId?.get(s.customer?.stage);
    const name = stage && stage.whatsappTemplate;
    return { stage, found: name ? templates.filter((t) => t.name === name) : [] };
  }

  function choose(e) {
    pick(e.target.value);
    view.update();
  }

  function pick(id) {
    const w = s.whatsapp;
    w.template = id;
    w.picked = true;
    w.sendId = null;
    w.error = null;
    const t = chosen();
    const first = String(s.customer?.name || "").trim().split(/\s+/)[0] || "";
    w.values = t ? Array.from({ length: t.params || 0 }, (_, i) => (i === 0 ? first : "")) : [];
  }

  function setValue(index) {
    return (e) => {
      s.whatsapp.values[index] = e.target.value;
      s.whatsapp.sendId = null;
      s.whatsapp.error = null;
      view.update();
    };
  }

  function windowLine(open, last) {
    if (open) {
      const left = last.getTime() + WINDOW_MS - Date.now();
      return html`<p class="cd-hint" data-testid="whatsapp-window" data-open="true">Free text for
        <strong>${remaining(left)}</strong> more (they wrote ${formatDateTime(last, view.timeZone)}).</p>`;
    }
    return html`<p class="cd-hint" data-testid="whatsapp-window" data-open="false">${last
      ? "More than 24 hours since they last wrote on WhatsApp"
      : "They have not written on WhatsApp yet"}: send an approved template.</p>`;
  }

  function templatePicker() {
    const w = s.whatsapp;
    const { stage, found } = suggested();
    if (!w.picked && !w.template && found.length) pick(found[0].id); // the stage's, to start
    const t = chosen();
    // Selected by the option too: on the first render the select's value is set before
    // its options exist.
    const option = (o) => html`<option value=${o.id} ?selected=${o.id === w.template}>${o.name} (${o.language})</option>`;
    const others = templates.filter((o) => !found.includes(o));
    return html`<label>Template
        <select data-testid="whatsapp-template" .value=${live(w.template)} @change=${choose}>
          <option value="">Choose a template…</option>
          ${found.length
            ? html`<optgroup label=${`For “${stage.label}”`} data-testid="whatsapp-stage-templates">${found.map(option)}</optgroup>
                <optgroup label="Other templates">${others.map(option)}</optgroup>`
            : others.map(option)}
        </select>
      </label>
      ${templates.length ? nothing : html`<p class="cd-hint">No approved template yet: they are made in WhatsApp Manager and appear here within the hour.</p>`}
      ${t
        ? html`${w.values.map(
              (value, i) => html`<label>Value {{${i + 1}}}
                <input type="text" data-testid="whatsapp-value" maxlength="1024" .value=${live(value)} @input=${setValue(i)} />
              </label>`,
            )}
            <p class="cd-note-text" data-testid="whatsapp-preview">${filled(t.body, w.values)}</p>`
        : nothing}`;
  }

  function template(c) {
    if (!c || !c.mobileValid) return nothing;
    const last = lastWrote(s.timeline.entries);
    const open = Boolean(last) && Date.now() - last.getTime() < WINDOW_MS;
    const w = s.whatsapp;
    return html`<section class="cd-card" aria-labelledby="whatsapp-title" data-testid="whatsapp-composer">
      <h2 id="whatsapp-title">WhatsApp</h2>
      <form class="cd-form" novalidate @submit=${(e) => submit(e, open)}>
        ${windowLine(open, last)}
        ${open
          ? html`<label>Message
              <textarea rows="3" maxlength="4096" data-testid="whatsapp-text" .value=${live(w.text)}
                @input=${typing(s, "whatsapp", "text", "sendId")}></textarea>
            </label>`
          : templatePicker()}
        <div class="cd-buttons">
          <button type="submit" class="cd-btn cd-btn-primary" data-testid="whatsapp-send" ?disabled=${s.busy.whatsapp}>
            ${s.busy.whatsapp ? "Sending…" : "Send on WhatsApp"}</button>
        </div>
        ${w.error ? html`<p class="cd-error" role="alert" data-testid="whatsapp-error">${w.error}</p>` : nothing}
      </form>
    </section>`;
  }

  async function submit(e, open) {
    e.preventDefault();
    if (s.busy.whatsapp) return;
    const w = s.whatsapp;
    let body;
    if (open) {
      if (!w.text.trim()) return refuse(view, "whatsapp", "Write the message first.");
      body = { text: w.text.trim() };
    } else {
      const t = chosen();
      if (!t) return refuse(view, "whatsapp", "Choose a template.");
      if (w.values.some((v) => !v.trim())) return refuse(view, "whatsapp", "Fill in every value of the template.");
      body = { template: { name: t.name, language: t.language, params: w.values.map((v) => v.trim()) } };
    }
    startSending(view, "whatsapp", "sendId");
    const res = await view.send("POST", "/whatsapp", { id: w.sendId, ...body });
    s.busy.whatsapp = false;
    if (res.ok) {
      const status = res.body?.message?.status;
      s.whatsapp = { text: "", template: "", values: [], error: null, sendId: null, picked: true };
      view.setStatus("ok", outcomeText(res, status === "unconfirmed"
        ? "Sent; WhatsApp has not confirmed it yet. It will not be sent twice."
        : "Sent on WhatsApp."));
    } else {
      const fields = fieldErrors(res.body);
      w.error = fields.text || fields.whatsapp || fields.mobile || fields.template || failureText(res);
      if (!res.network) w.sendId = null;
    }
    view.update();
  }

  return { template, start, stop: stopAll };
}
