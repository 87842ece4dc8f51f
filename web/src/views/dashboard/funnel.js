// The website's wizard as a funnel: how many started, reached each step and completed,
// and the completion rate. Each bar is as wide as its share of those who started.
import { html } from "lit-html";
import { styleMap } from "lit-html/directives/style-map.js";
import { formatCount, formatPercent } from "../../lib/format.js";

/** wizard: the answer's `wizard` ({started, steps: [{step, count}], completed, rate}). */
export function funnel(wizard) {
  const started = Number(wizard?.started) || 0;
  const steps = (Array.isArray(wizard?.steps) ? wizard.steps : []).map((s) => ({
    key: `step-${s.step}`,
    label: `Step ${s.step}`,
    value: Number(s.count) || 0,
  }));
  const rows = [
    { key: "started", label: "Started", value: started },
    ...steps,
    { key: "completed", label: "Completed", value: Number(wizard?.completed) || 0 },
  ];
  const max = Math.max(1, ...rows.map((r) => r.value));
  return html`<section class="panel" data-testid="funnel" aria-label="Wizard">
    <h2 class="panel-title">Wizard
      <span class="funnel-rate" data-testid="funnel-rate">${formatPercent(wizard?.rate)} completed</span></h2>
    ${started || rows.some((r) => r.value)
      ? html`<ol class="funnel">
          ${rows.map(
            (r) => html`<li class="funnel-row" data-testid="funnel-row" data-step=${r.key}>
              <span class="funnel-label">${r.label}</span>
              <span class="bar-track" aria-hidden="true"><span class="bar bar-funnel" style=${styleMap({ width: `${Math.round((r.value / max) * 100)}%` })}></span></span>
              <span class="bar-value" data-testid="funnel-value">${formatCount(r.value)}</span>
            </li>`,
          )}
        </ol>`
      : html`<p class="muted">Nobody started the wizard in this period.</p>`}
  </section>`;
}
