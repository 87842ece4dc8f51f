// The headline figures of the period, each with its change against the previous period
// of the same length: an arrow and a percentage for the eye, a sentence for a screen
// reader, and "no comparison" when the previous period had nothing to compare with.
import { html } from "lit-html";
import { formatCount, formatPercent } from "../../lib/format.js";

const FIGURES = [
  { key: "pageviews", label: "Pageviews", format: formatCount },
  { key: "visitors", label: "Unique visitors", format: formatCount },
  { key: "leads", label: "New leads", format: formatCount },
  { key: "formSubmissions", label: "Form submissions", format: formatCount },
  { key: "wizardCompletion", label: "Wizard completion", format: formatPercent },
];

/** totals: the answer's `totals` ({key: {value, previous, change}}). */
export function headline(totals) {
  return html`<ul class="figures" data-testid="figures" aria-label="Headline figures">
    ${FIGURES.map((figure) => {
      const t = (totals && totals[figure.key]) || {};
      return html`<li class="figure" data-testid="figure" data-figure=${figure.key}>
        <span class="figure-label">${figure.label}</span>
        <span class="figure-value" data-testid="figure-value">${figure.format(t.value)}</span>
        ${change(t.change, figure.format(t.previous))}
      </li>`;
    })}
  </ul>`;
}

/** The change against the previous period (a ratio, or null when there is none). */
export function change(ratio, previousText) {
  if (typeof ratio !== "number" || !Number.isFinite(ratio)) {
    return html`<span class="change change-none" data-testid="change" data-direction="none">no comparison</span>`;
  }
  const direction = ratio > 0 ? "up" : ratio < 0 ? "down" : "flat";
  const arrow = { up: "↑", down: "↓", flat: "→" }[direction];
  const amount = formatPercent(Math.abs(ratio));
  const said = { up: `up ${amount}`, down: `down ${amount}`, flat: "no change" }[direction];
  return html`<span class="change change-${direction}" data-testid="change" data-direction=${direction}>
    <span aria-hidden="true">${arrow} ${amount}</span>
    <span class="visually-hidden">${said} on the previous period (${previousText})</span>
  </span>`;
}
