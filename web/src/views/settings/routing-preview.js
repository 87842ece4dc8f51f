// "Preview last 30 days": who the routing rules as edited (saved or not) would have given
// each new customer of the last 30 days, by which rule and why, asked of the server
// (POST .../preview, which writes nothing) so the preview and the router decide with the
// same code, from the round robin's pointers as they stand. Shows how many leads each rep
// would get and the leads themselves. Once the rules change, it says it is out of date.
import { html, nothing } from "lit-html";
import { formatCount, formatDateTime } from "../../lib/format.js";

const SHOWN = 100;

/**
 * screen: {container, update, disposed()}; api: routingApi; timeZone; body(): what to
 * send, or null when the editor refused it itself; refused(res): the editor shows a
 * 400's field errors beside its inputs; ruleName(id): a rule's label.
 */
export function routingPreview(screen, { api, timeZone, body, refused, ruleName }) {
  const { container, update } = screen;
  const p = { busy: false, result: null, outdated: false, error: "" };

  async function run() {
    if (p.busy) return;
    const sent = body();
    if (!sent) return;
    p.busy = true;
    p.error = "";
    update();
    const res = await api.preview(sent);
    p.busy = false;
    if (screen.disposed()) return;
    if (!res.ok) {
      p.result = null;
      if (res.status === 400) refused(res);
      else p.error = res.message;
      update();
      return;
    }
    p.result = res.body || { leads: [] };
    p.outdated = false;
    update();
    queueMicrotask(() => container.querySelector("[data-testid=routing-preview-result]")?.focus());
  }

  /** The rules changed since the last preview. */
  function changed() {
    if (p.result) p.outdated = true;
  }

  function perRep(leads) {
    const counts = new Map();
    for (const lead of leads) {
      const who = lead.ownerUid ? lead.ownerName || lead.ownerUid : "Unassigned";
      counts.set(who, (counts.get(who) || 0) + 1);
    }
    return html`<ul class="au-pv-counts" data-testid="routing-preview-counts" aria-label="Leads per rep">
      ${[...counts].map(
        ([who, n]) => html`<li data-testid="routing-preview-count"><span>${who}</span><strong>${formatCount(n)}</strong></li>`,
      )}
    </ul>`;
  }

  function lead(l) {
    const who = l.ownerUid ? l.ownerName || l.ownerUid : "Unassigned";
    return html`<li class="rt-pv-lead" data-testid="routing-preview-lead" data-customer=${l.customer} data-owner=${l.ownerUid || ""}
      data-rule=${l.rule || ""}>
      <a href=${`#/customers/${encodeURIComponent(l.customer)}`} data-testid="routing-preview-customer">${l.name || l.customer}</a>
      <span class="rt-pv-who"><span class="visually-hidden">goes to </span><strong data-testid="routing-preview-owner">${who}</strong>
        ${l.rule ? html`<span class="muted"> · ${ruleName(l.rule)}</span>` : nothing}</span>
      <span class="muted rt-pv-reason" data-testid="routing-preview-reason">${l.reason || ""}</span>
      ${l.createdAt ? html`<time class="muted" datetime=${l.createdAt}>${formatDateTime(l.createdAt, timeZone)}</time>` : nothing}
    </li>`;
  }

  function result() {
    const r = p.result;
    const leads = Array.isArray(r.leads) ? r.leads : [];
    return html`<section class="au-pv" data-testid="routing-preview-result" tabindex="-1" aria-labelledby="rt-pv-title">
      <h3 class="bs-subtitle" id="rt-pv-title">Who would have got the last 30 days' leads</h3>
      ${p.outdated
        ? html`<p class="bs-status bs-status-dirty" data-testid="routing-preview-outdated">The rules changed since: preview again to see
            what they do now.</p>`
        : nothing}
      <p class="bs-help" data-testid="routing-preview-summary">${formatCount(leads.length)} ${leads.length === 1 ? "lead" : "leads"}
        ${r.complete === false ? " (the latest events only)" : ""}. Nothing was saved or assigned.</p>
      ${leads.length
        ? html`${perRep(leads)}
            <ul class="rt-pv-list" aria-label="Leads and who would get them">${leads.slice(0, SHOWN).map(lead)}</ul>
            ${leads.length > SHOWN ? html`<p class="bs-hint">And ${formatCount(leads.length - SHOWN)} more.</p>` : nothing}`
        : html`<p class="bs-help" data-testid="routing-preview-none">No new customer in the last 30 days.</p>`}
    </section>`;
  }

  function template() {
    return html`<div class="au-pv-bar">
        <button type="button" class="button" data-testid="routing-preview" ?disabled=${p.busy} @click=${run}>
          ${p.busy ? "Previewing…" : "Preview last 30 days"}</button>
        <span class="bs-hint">Shows who the rules as they stand here would have given each lead, before you save.</span>
      </div>
      ${p.error ? html`<p class="bs-alert" role="alert" data-testid="routing-preview-error">${p.error}</p>` : nothing}
      ${p.result ? result() : nothing}`;
  }

  return { template, changed };
}
