// Who the routing rules as edited would have given each new customer of the last 30
// days, by which rule and why, from the round robin's pointers as they stand: how many
// leads each rep would get and the leads themselves. The asking is preview-runner.js's.
import { html, nothing } from "lit-html";
import { formatCount, formatDateTime } from "../../lib/format.js";
import { previewRunner } from "./preview-runner.js";

const SHOWN = 100;

/** screen; api: routingApi; timeZone; body(): what to send, or null; refused(res); ruleName(id). */
export function routingPreview(screen, { api, timeZone, body, refused, ruleName }) {
  const ownerOf = (lead) => (lead.ownerUid ? lead.ownerName || lead.ownerUid : "Unassigned");

  function perRep(leads) {
    const counts = new Map();
    for (const lead of leads) counts.set(ownerOf(lead), (counts.get(ownerOf(lead)) || 0) + 1);
    return html`<ul class="au-pv-counts" data-testid="routing-preview-counts" aria-label="Leads per rep">
      ${[...counts].map(
        ([who, n]) => html`<li data-testid="routing-preview-count"><span>${who}</span><strong>${formatCount(n)}</strong></li>`,
      )}
    </ul>`;
  }

  function lead(l) {
    return html`<li class="rt-pv-lead" data-testid="routing-preview-lead" data-customer=${l.customer} data-owner=${l.ownerUid || ""}
      data-rule=${l.rule || ""}>
      <a href=${`#/customers/${encodeURIComponent(l.customer)}`} data-testid="routing-preview-customer">${l.name || l.customer}</a>
      <span class="rt-pv-who"><span class="visually-hidden">goes to </span><strong data-testid="routing-preview-owner">${ownerOf(l)}</strong>
        ${l.rule ? html`<span class="muted"> · ${ruleName(l.rule)}</span>` : nothing}</span>
      <span class="muted rt-pv-reason" data-testid="routing-preview-reason">${l.reason || ""}</span>
      ${l.createdAt ? html`<time class="muted" datetime=${l.createdAt}>${formatDateTime(l.createdAt, timeZone)}</time>` : nothing}
    </li>`;
  }

  function show(r) {
    const leads = Array.isArray(r.leads) ? r.leads : [];
    return html`<p class="bs-help" data-testid="routing-preview-summary">${formatCount(leads.length)} ${leads.length === 1 ? "lead" : "leads"}
        ${r.complete === false ? " (the latest events only)" : ""}. Nothing was saved or assigned.</p>
      ${leads.length
        ? html`${perRep(leads)}
            <ul class="rt-pv-list" aria-label="Leads and who would get them">${leads.slice(0, SHOWN).map(lead)}</ul>
            ${leads.length > SHOWN ? html`<p class="bs-hint">And ${formatCount(leads.length - SHOWN)} more.</p>` : nothing}`
        : html`<p class="bs-help" data-testid="routing-preview-none">No new customer in the last 30 days.</p>`}`;
  }

  return previewRunner(screen, {
    api,
    body,
    refused,
    button: "routing-preview",
    prefix: "routing-",
    title: "Who would have got the last 30 days' leads",
    hint: "Shows who the rules as they stand here would have given each lead, before you save.",
    show,
  });
}
