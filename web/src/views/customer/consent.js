// Consent history: every marketing-consent answer this person gave, newest first, read
// from the timeline already on the page (a form's or a booking's yes or no, an import
// row's when the file had a consent column). A submission that did not ask says nothing.
import { html, nothing } from "lit-html";
import { formatDateTime, toDate } from "../../lib/format.js";

/** The answers among timeline entries, newest first (the server's rules.privacy agrees). */
export function consentAnswers(entries) {
  const found = [];
  for (const entry of entries || []) {
    // An import keeps what it read under fields (its consent column, when the file had one).
    const consent = entry.type === "import" && entry.consent == null ? entry.fields?.consent : entry.consent;
    if (consent !== true && consent !== false) continue;
    if (entry.type === "form_submission") found.push({ at: entry.at, marketing: consent, where: `form ${entry.form || "unknown"}` });
    else if (entry.type === "import") found.push({ at: entry.at, marketing: consent, where: "import" });
  }
  return found.sort((a, b) => (toDate(b.at)?.getTime() || 0) - (toDate(a.at)?.getTime() || 0));
}

export function customerConsent(view) {
  function template() {
    const { s, timeZone } = view;
    if (view.isPartner) return nothing;
    const answers = consentAnswers(s.timeline.entries);
    return html`<section class="cd-card" data-testid="consent-history" aria-labelledby="consent-history-title">
      <h2 id="consent-history-title">Consent history</h2>
      ${answers.length
        ? html`<ol class="cd-consent-list">
            ${answers.map(
              (a) => html`<li data-testid="consent-answer" data-marketing=${a.marketing ? "yes" : "no"}>
                <strong>${a.marketing ? "Gave" : "Declined"}</strong> marketing consent · ${a.where} ·
                ${formatDateTime(a.at, timeZone)}
              </li>`,
            )}
          </ol>
          ${s.timeline.hasMore ? html`<p class="cd-muted cd-small">From the timeline entries shown.</p>` : nothing}`
        : html`<p class="cd-muted">No consent answer on record.</p>`}
    </section>`;
  }
  return { template };
}
