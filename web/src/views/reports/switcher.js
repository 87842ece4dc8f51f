// The switch between the four reports: a tab list (WAI-ARIA tabs). Tab reaches the
// chosen report's tab; Left / Right (Home / End) move to another report and show it,
// and the focus follows, so the keyboard never has to leave the row.
import { html } from "lit-html";

export const REPORTS = [
  { id: "lead-sources", label: "Lead sources" },
  { id: "time-in-stage", label: "Time in stage" },
  { id: "reps", label: "Reps" },
  { id: "trade-shows", label: "Trade shows" },
];

export const REPORT_IDS = REPORTS.map((r) => r.id);

export function reportLabel(id) {
  return REPORTS.find((r) => r.id === id)?.label || id;
}

export const tabId = (id) => `report-tab-${id}`;
export const PANEL_ID = "report-panel";

/** choose(id) shows a report; the tab of the current one is the only one in the Tab order. */
export function reportSwitch(current, choose) {
  function onKey(event) {
    const at = REPORT_IDS.indexOf(current);
    const to = {
      ArrowRight: (at + 1) % REPORTS.length,
      ArrowLeft: (at - 1 + REPORTS.length) % REPORTS.length,
      Home: 0,
      End: REPORTS.length - 1,
    }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const next = REPORT_IDS[to];
    choose(next);
    event.currentTarget.querySelector(`#${tabId(next)}`)?.focus();
  }
  return html`<div class="report-tabs" role="tablist" aria-label="Report" data-testid="report-tabs" @keydown=${onKey}>
    ${REPORTS.map(
      (r) => html`<button type="button" role="tab" class="report-tab" id=${tabId(r.id)} data-report=${r.id}
        aria-selected=${r.id === current ? "true" : "false"} aria-controls=${PANEL_ID}
        tabindex=${r.id === current ? "0" : "-1"} @click=${() => choose(r.id)}>${r.label}</button>`,
    )}
  </div>`;
}
