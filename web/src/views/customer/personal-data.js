// Personal data: the person's copy of everything kept about them (JSON for a program, a
// readable page for them), the owner's erasure with the address typed again, and the
// deadline of an open privacy request, shown in the header until it is done. Every call
// goes through data/privacy-api.js; open requests are read live (the owner's).
import { html, nothing } from "lit-html";
import { watchOpenRequests } from "../../data/firestore.js";
import { privacyApi } from "../../data/privacy-api.js";
import { formatDate } from "../../lib/format.js";
import { newId } from "../../lib/ids.js";
import { deadline, KIND_LABELS } from "../privacy/deadline.js";

export function customerPersonalData(view) {
  const { s, key, ctx } = view;
  const api = privacyApi(ctx.api);
  const p = { requests: [], open: false, typed: "", busy: false, error: "", message: "", id: null };
  let stop = () => {};

  function start() {
    if (!view.isOwner || !view.db) return;
    stop = watchOpenRequests(
      view.db,
      { customer: key },
      (requests) => {
        p.requests = requests;
        view.update();
      },
      () => {},
    );
  }

  function deadlineTemplate() {
    if (!p.requests.length) return nothing;
    return html`${p.requests.map((r) => {
      const d = deadline(r.due);
      return html`<p class="cd-deadline ${d.overdue ? "cd-deadline-overdue" : ""}" data-testid="request-deadline">
        ${KIND_LABELS[r.kind] || r.kind} request received ${formatDate(r.receivedAt, view.timeZone)}:
        <strong>${d.text}</strong> (${formatDate(r.due, view.timeZone)}).
        <a href="#/privacy">Privacy requests</a>
      </p>`;
    })}`;
  }

  async function download(format) {
    p.message = "Preparing the file…";
    view.update();
    const res = await api.download(key, format);
    p.message = res.ok ? `Downloaded ${res.body.filename}.` : res.message;
    view.update();
  }

  function openErase() {
    p.open = true;
    p.typed = "";
    p.error = "";
    p.id = newId();
    view.update();
    queueMicrotask(() => view.container.querySelector("[data-testid=erase-confirm]")?.focus());
  }

  function closeErase() {
    p.open = false;
    view.update();
    queueMicrotask(() => view.container.querySelector("[data-testid=erase-open]")?.focus());
  }

  const email = () => String((s.customer && s.customer.email) || key);
  const matches = () => p.typed.trim().toLowerCase() === email().toLowerCase();

  async function erase(event) {
    event.preventDefault();
    if (!matches() || p.busy) return;
    p.busy = true;
    p.error = "";
    view.update();
    const request = p.requests.find((r) => r.kind === "erasure");
    const res = await api.erase(key, { confirm: p.typed.trim(), id: p.id, request: request?.id });
    p.busy = false;
    if (res.ok) {
      location.hash = "#/privacy";
      return;
    }
    p.error = res.message;
    view.update();
  }

  function template() {
    if (!view.canEdit()) return nothing;
    return html`<section class="cd-card" data-testid="personal-data" aria-labelledby="personal-data-title">
      <h2 id="personal-data-title">Personal data</h2>
      <p class="cd-muted cd-small">Everything kept about this person, to hand to them on request.</p>
      <div class="cd-buttons">
        <button type="button" class="cd-btn" data-testid="download-json" @click=${() => download("json")}>Download (JSON)</button>
        <button type="button" class="cd-btn" data-testid="download-html" @click=${() => download("html")}>Readable copy (HTML)</button>
      </div>
      ${p.message ? html`<p class="cd-small" role="status" data-testid="personal-data-status">${p.message}</p>` : nothing}
      ${view.isOwner ? eraseTemplate() : nothing}
    </section>`;
  }

  function eraseTemplate() {
    if (!p.open) {
      return html`<div class="cd-buttons">
        <button type="button" class="cd-btn cd-btn-quiet" data-testid="erase-open" @click=${openErase}>Erase this person…</button>
      </div>`;
    }
    return html`<form class="cd-erase" data-testid="erase-form" @submit=${erase}>
      <p class="cd-small">
        Erasing removes this customer, their timeline, calls (and their calendar events), tasks and
        messages for good. Only a receipt and a keyed hash of their address are kept.
      </p>
      <label class="cd-field">
        <span>Type <strong>${email()}</strong> to confirm</span>
        <input type="text" data-testid="erase-confirm" autocomplete="off" spellcheck="false" .value=${p.typed}
          aria-invalid=${p.error ? "true" : "false"} aria-describedby=${p.error ? "erase-error" : nothing}
          @input=${(e) => ((p.typed = e.target.value), view.update())} />
      </label>
      ${p.error ? html`<p class="cd-error" id="erase-error" role="alert" data-testid="erase-error">${p.error}</p>` : nothing}
      <div class="cd-buttons">
        <button type="submit" class="cd-btn cd-btn-danger" data-testid="erase" ?disabled=${!matches() || p.busy}>
          ${p.busy ? "Erasing…" : "Erase for good"}
        </button>
        <button type="button" class="cd-btn cd-btn-quiet" data-testid="erase-cancel" @click=${closeErase}>Cancel</button>
      </div>
    </form>`;
  }

  return { start, stop: () => stop(), template, deadlineTemplate };
}
