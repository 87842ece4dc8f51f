// The customer's fields as they are stored, read-only: contact (with call and WhatsApp
// links), stage, sources, consent, owner, dates, and the custom fields: the owner's
// typed fields by label, then any other key read-only as "Other fields".

import { html, nothing } from "lit-html";
import { formatDateTime } from "../../lib/format.js";
import { typedText } from "./typed-fields.js";
import { stageInfo, valueText, when } from "./values.js";

function telHref(mobile) {
  const digits = String(mobile).replace(/[^\d+]/g, "");
  return digits ? `tel:${digits}` : null;
}

function whatsappHref(mobile, valid) {
  if (valid === false) return null;
  const s = String(mobile).trim();
  if (!/^\+\d{6,15}$/.test(s)) return null;
  return `https://wa.me/${s.slice(1)}`;
}

function row(field, label, value, extra = nothing) {
  return html`<div class="cd-row">
    <dt>${label}</dt>
    <dd data-field=${field}>${value}${extra}</dd>
  </div>`;
}

export function customerDetails(view) {
  const { timeZone } = view;

  function template(c) {
    const consent = c.consent && typeof c.consent === "object" ? c.consent : {};
    const sources = Array.isArray(c.sources) ? c.sources : [];
    const forms = Array.isArray(c.forms) ? c.forms : [];
    const custom = c.custom && typeof c.custom === "object" ? c.custom : {};
    const defined = view.s.fields;
    const definedKeys = new Set(defined.map((f) => f.key));
    const customKeys = Object.keys(custom)
      .filter((k) => !definedKeys.has(k))
      .sort((a, b) => a.localeCompare(b));
    const tel = c.mobile ? telHref(c.mobile) : null;
    const wa = c.mobile ? whatsappHref(c.mobile, c.mobileValid) : null;
    return html`<section class="cd-card" aria-label="Details">
      <h2>Details</h2>
      <dl class="cd-fields">
        ${row("name", "Name", c.name || "—")} ${row("company", "Company", c.company || "—")}
        ${row(
          "email",
          "E-mail",
          c.email ? html`<a href=${`mailto:${c.email}`} class="cd-break">${c.email}</a>` : "—",
        )}
        ${row(
          "mobile",
          "Mobile",
          c.mobile
            ? html`${tel ? html`<a href=${tel}>${c.mobile}</a>` : c.mobile}
              ${wa
                ? html` · <a href=${wa} target="_blank" rel="noopener noreferrer" data-testid="whatsapp">WhatsApp</a>`
                : nothing}
              ${c.mobileValid === false
                ? html`<span class="cd-warn" data-testid="mobile-invalid"
                    >Not a valid number: kept as typed, check it with the customer.</span
                  >`
                : nothing}`
            : "—",
        )}
        ${row("stage", "Stage", stageInfo(view.ctx && view.ctx.stages, c.stage).label)}
        ${row(
          "sources",
          "Sources",
          sources.length ? html`${sources.map((src) => html`<span class="cd-chip">${src}</span>`)}` : "—",
        )}
        ${row("firstSource", "First source", c.firstSource || "—")}
        ${row("lastSource", "Last source", c.lastSource || "—")}
        ${row("forms", "Forms used", forms.length ? forms.join(", ") : "—")}
        ${row(
          "consent",
          "Marketing consent",
          consent.marketing === true
            ? html`Yes${consent.at ? html`, given ${formatDateTime(consent.at, timeZone)}` : nothing}`
            : consent.marketing === false
              ? html`No${consent.at ? html`, declined ${formatDateTime(consent.at, timeZone)}` : nothing}`
              : "Not asked yet",
        )}
        ${row("owner", "Owner", view.ownerText(c.ownerUid))} ${row("segment", "Segment", c.segment || "—")}
        ${row("createdAt", "Created", html`${formatDateTime(c.createdAt, timeZone)}`)}
        ${row(
          "lastContactAt",
          "Last contact",
          c.lastContactAt ? html`${formatDateTime(c.lastContactAt, timeZone)} (${when(c.lastContactAt, timeZone)})` : "—",
        )}
        ${row("updatedAt", "Last change", c.updatedAt ? when(c.updatedAt, timeZone) : "—")}
      </dl>
      <h3>Custom fields</h3>
      ${defined.length
        ? html`<dl class="cd-fields" data-testid="typed-fields">
            ${defined.map((f) => row(`custom.${f.key}`, f.label, typedText(f, custom[f.key], view.currency())))}
          </dl>`
        : nothing}
      ${defined.length && customKeys.length ? html`<h3 class="cd-other">Other fields</h3>` : nothing}
      ${customKeys.length
        ? html`<dl class="cd-fields" data-testid="custom-fields">
            ${customKeys.map((k) => row(`custom.${k}`, k, valueText(custom[k])))}
          </dl>`
        : defined.length
          ? nothing
          : html`<p class="cd-muted" data-testid="custom-empty">None yet.${view.canEdit() ? " Use Edit to add one." : ""}</p>`}
    </section>`;
  }

  return { template };
}
