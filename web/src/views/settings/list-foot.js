// The foot of a settings list being edited (stages, custom fields): add a row, discard,
// save, and one line saying where the edit stands. One copy, so every list screen
// answers the same way: an alert for a refusal, a status for "Unsaved changes." or
// "Saved", each focusable so the screen can move the focus to it.
import { html, nothing } from "lit-html";

/**
 * s: {rows, dirty, busy, saved, formError}; name: the test-id stem ("stages", "fields");
 * add: {label, testid, max, onClick}; onDiscard; saveLabel.
 */
export function listFoot(s, { name, add, onDiscard, saveLabel }) {
  return html`<div class="bs-actions st-foot">
      <button type="button" class="button button-quiet" data-testid=${add.testid}
        ?disabled=${s.rows.length >= add.max} @click=${add.onClick}>${add.label}</button>
      ${s.dirty ? html`<button type="button" class="button button-quiet" @click=${onDiscard}>Discard changes</button>` : nothing}
      <button type="submit" class="button button-primary" data-testid="${name}-save" ?disabled=${s.busy || !s.dirty}>
        ${s.busy ? "Saving…" : saveLabel}</button>
    </div>
    ${s.formError
      ? html`<p class="bs-alert" role="alert" tabindex="-1" data-testid="${name}-error">${s.formError}</p>`
      : html`<p class="bs-status ${s.saved ? "bs-status-saved" : s.dirty ? "bs-status-dirty" : ""}" role="status"
          tabindex="-1" data-testid="${name}-status">${s.saved || (s.dirty ? "Unsaved changes." : "")}</p>`}`;
}
