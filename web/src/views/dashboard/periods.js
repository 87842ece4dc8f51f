// The period the dashboard shows, kept in the hash (#/dashboard?period=7d) so a reload or
// a shared link shows the same figures, and the control that switches it: a group of
// toggle buttons (aria-pressed), each reachable with Tab and pressed with Enter or Space.
import { html } from "lit-html";

export const PERIODS = [
  { id: "today", label: "Today" },
  { id: "7d", label: "Last 7 days" },
  { id: "30d", label: "Last 30 days" },
  { id: "12m", label: "Last 12 months" },
];
export const DEFAULT_PERIOD = "30d";

/** The period the hash asks for; the default when it names none, or one we do not know. */
export function periodFromHash(hash) {
  const query = String(hash || "").split("?")[1] || "";
  const asked = new URLSearchParams(query).get("period");
  return PERIODS.some((p) => p.id === asked) ? asked : DEFAULT_PERIOD;
}

export function hashForPeriod(period) {
  return `#/dashboard?period=${encodeURIComponent(period)}`;
}

export function periodLabel(period) {
  return PERIODS.find((p) => p.id === period)?.label || period;
}

/** The segmented control; choose(periodId) is called for the pressed button. */
export function periodPicker(current, choose, { busy = false } = {}) {
  return html`<div class="segmented" role="group" aria-label="Period" data-testid="periods">
    ${PERIODS.map(
      (p) => html`<button type="button" class="segment" data-period=${p.id}
        aria-pressed=${p.id === current ? "true" : "false"} aria-busy=${busy && p.id === current ? "true" : "false"}
        @click=${() => choose(p.id)}>${p.label}</button>`,
    )}
  </div>`;
}
