// A person's rights (#/privacy, the owner's): the open requests with how long is left
// to answer each (the GDPR's month, counted as 30 days), a form to record one as it
// arrives, and the erasure log: each erasure's receipt (what was removed, when, by whom,
// a masked hint of who; never the address). Requests and receipts are read live from
// Firestore (data/firestore.js); recording and closing go through data/privacy-api.js.
// Loaded lazily, as its own chunk.
import { html, nothing, render } from "lit-html";
import { watchErasures, watchOpenRequests } from "../../data/firestore.js";
import { privacyApi } from "../../data/privacy-api.js";
import { formatCount, formatDate, formatDateTime } from "../../lib/format.js";
import { newId } from "../../lib/ids.js";
import { deadline, KIND_LABELS } from "./deadline.js";

const COUNTED = [
  ["timeline", "timeline entry", "timeline entries"],
  ["bookings", "call", "calls"],
  ["calendarEvents", "calendar event", "calendar events"],
  ["tasks", "task", "tasks"],
  ["messages", "message", "messages"],
  ["aliases", "other address", "other addresses"],
  ["events", "history event made anonymous", "history events made anonymous"],
];

export function renderPrivacy(container, ctx) {
  const api = privacyApi(ctx.api);
  const timeZone = ctx.config.businessTimeZone;
  const s = {
    requests: null,
    erasures: null,
    error: "",
    form: { kind: "erasure", customer: "", received: "", note: "", busy: false, error: "", fields: {}, id: newId() },
    message: "",
    closing: new Set(),
  };
  let disposed = false;

  function update() {
    if (!disposed) render(template(), container);
  }

  const failed = () => {
    s.error = "The privacy requests or the erasure log could not be loaded.";
    update();
  };
  const stops = [
    watchOpenRequests(ctx.db, {}, (requests) => ((s.requests = requests), update()), failed),
    watchErasures(ctx.db, {}, (erasures) => ((s.erasures = erasures), update()), failed),
  ];

  async function record(event) {
    event.preventDefault();
    const f = s.form;
    if (f.busy) return;
    f.busy = true;
    f.error = "";
    f.fields = {};
    update();
    const body = { id: f.id, kind: f.kind };
    if (f.customer.trim()) body.customer = f.customer.trim().toLowerCase();
    if (f.received) body.received = f.received;
    if (f.note.trim()) body.note = f.note.trim();
    const res = await api.addRequest(body);
    f.busy = false;
    if (res.ok) {
      Object.assign(f, { customer: "", received: "", note: "", id: newId() });
      s.message = "Request recorded.";
    } else {
      f.error = res.message;
      f.fields = (res.body && res.body.fields) || {};
    }
    update();
  }

  async function close(request) {
    s.closing.add(request.id);
    update();
    const res = await api.finishRequest(request.id);
    s.closing.delete(request.id);
    s.message = res.ok ? "Request marked done." : res.message;
    update();
  }

  function requestItem(r) {
    const d = deadline(r.due);
    return html`<li class="bs-card pv-item" data-testid="privacy-request" data-id=${r.id}>
      <h3 class="bs-subtitle">${KIND_LABELS[r.kind] || r.kind}</h3>
      <p class=${d.overdue ? "pv-overdue" : ""} data-testid="request-due">
        <strong>${d.text}</strong> · answer by ${formatDate(r.due, timeZone)} · received ${formatDate(r.receivedAt, timeZone)}
      </p>
      ${r.customer
        ? html`<p>Customer: <a href=${`#/customers/${encodeURIComponent(r.customer)}`}>${r.customer}</a></p>`
        : nothing}
      ${r.note ? html`<p class="pv-note">${r.note}</p>` : nothing}
      <button type="button" class="button" data-testid="request-done" ?disabled=${s.closing.has(r.id)} @click=${() => close(r)}>
        Mark done
      </button>
    </li>`;
  }

  function requestForm() {
    const f = s.form;
    const set = (name) => (e) => ((f[name] = e.target.value), update());
    const invalid = (name) => (f.fields[name] ? "true" : "false");
    return html`<form class="bs-card" data-testid="request-form" @submit=${record} aria-labelledby="request-form-title">
      <h3 class="bs-subtitle" id="request-form-title">Record a request</h3>
      <label class="bs-field"><span>Kind</span>
        <select data-testid="request-kind" .value=${f.kind} @change=${set("kind")}>
          ${Object.entries(KIND_LABELS).map(([id, label]) => html`<option value=${id} ?selected=${f.kind === id}>${label}</option>`)}
        </select>
      </label>
      <label class="bs-field"><span>Customer's e-mail (optional)</span>
        <input type="email" data-testid="request-customer" autocomplete="off" .value=${f.customer}
          aria-invalid=${invalid("customer")} @input=${set("customer")} />
        ${f.fields.customer ? html`<span class="bs-error">${f.fields.customer}</span>` : nothing}
      </label>
      <label class="bs-field"><span>Received on (today when empty)</span>
        <input type="date" data-testid="request-received" .value=${f.received}
          aria-invalid=${invalid("received")} @input=${set("received")} />
        ${f.fields.received ? html`<span class="bs-error">${f.fields.received}</span>` : nothing}
      </label>
      <label class="bs-field"><span>Note</span>
        <textarea data-testid="request-note" rows="2" maxlength="2000" .value=${f.note} @input=${set("note")}></textarea>
      </label>
      ${f.error ? html`<p class="bs-alert" role="alert" data-testid="request-error">${f.error}</p>` : nothing}
      <p><button type="submit" class="button button-primary" data-testid="request-save" ?disabled=${f.busy}>
        ${f.busy ? "Recording…" : "Record request"}
      </button></p>
    </form>`;
  }

  function receipt(e) {
    const counts = e.counts || {};
    const removed = COUNTED.filter(([name]) => counts[name]).map(
      ([name, one, many]) => `${formatCount(counts[name])} ${counts[name] === 1 ? one : many}`,
    );
    return html`<li class="bs-card pv-item" data-testid="erasure-receipt" data-id=${e.id}>
      <h3 class="bs-subtitle">${e.hint || "A customer"} · ${e.state === "done" ? "erased" : "erasing…"}</h3>
      <p>${formatDateTime(e.at, timeZone)} by ${(e.by && (e.by.email || e.by.uid)) || "staff"}</p>
      <p data-testid="receipt-counts">Removed: the customer record${removed.length ? `, ${removed.join(", ")}` : ""}.</p>
      ${(e.problems || []).map((p) => html`<p class="bs-alert" data-testid="receipt-problem">${p}</p>`)}
      ${e.suppressions?.length ? html`<p class="bs-hint">Kept: a keyed hash of the address${e.suppressions.length > 1 ? " and the mobile" : ""}, so an import cannot bring them back.</p>` : nothing}
    </li>`;
  }

  function template() {
    const requests = s.requests;
    const erasures = s.erasures;
    return html`<section class="bs settings pv" data-testid="privacy">
      <header class="page-head bs-head">
        <div>
          <h1 class="page-title">Privacy</h1>
          <p class="page-sub bs-sub">People's requests about their data, with the date each must be answered by, and
            the log of every erasure. A person's data is downloaded, and erased, from their customer page.</p>
        </div>
      </header>
      ${s.error ? html`<p class="bs-alert" role="alert">${s.error}</p>` : nothing}
      ${s.message ? html`<p class="bs-help" role="status" data-testid="privacy-status">${s.message}</p>` : nothing}
      <h2>Open requests</h2>
      ${requests === null
        ? html`<p class="bs-help">Loading…</p>`
        : requests.length
          ? html`<ul class="pv-list" aria-label="Open requests">${requests.map(requestItem)}</ul>`
          : html`<p class="bs-help" data-testid="no-requests">No open request.</p>`}
      ${requestForm()}
      <h2>Erasure log</h2>
      ${erasures === null
        ? html`<p class="bs-help">Loading…</p>`
        : erasures.length
          ? html`<ul class="pv-list" aria-label="Erasure log">${erasures.map(receipt)}</ul>`
          : html`<p class="bs-help" data-testid="no-erasures">Nobody has been erased.</p>`}
    </section>`;
  }

  document.title = "Privacy · Hearth";
  update();

  return () => {
    disposed = true;
    for (const stop of stops) stop();
    render(nothing, container);
  };
}
