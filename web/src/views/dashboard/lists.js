// The ranked lists of the dashboard (forms, top pages, sources, mediums, campaigns, new
// leads by day) as labelled bars, and today's calls. Every label is data from a visitor's
// browser or a form, so it is only ever bound as text.
import { html, nothing } from "lit-html";
import { styleMap } from "lit-html/directives/style-map.js";
import { formatCount, formatTime } from "../../lib/format.js";

/**
 * A titled list of bars. items: [{label, value, key?}], already in order; `none` is said when
 * the list is empty.
 */
export function barList({ title, items, testid, none = "None in this period.", valueLabel = "" }) {
  const max = Math.max(1, ...items.map((i) => i.value));
  return html`<section class="panel list-panel" data-testid=${testid} aria-label=${title}>
    <h2 class="panel-title">${title}</h2>
    ${items.length
      ? html`<ul class="bars">
          ${items.map(
            (item) => html`<li class="bar-row" data-testid="bar-row" data-key=${item.key ?? item.label}>
              <span class="bar-label" title=${item.label} data-testid="bar-label">${item.label}</span>
              <span class="bar-track" aria-hidden="true"><span class="bar" style=${styleMap({ width: `${Math.round((item.value / max) * 100)}%` })}></span></span>
              <span class="bar-value"><span data-testid="bar-value">${formatCount(item.value)}</span>${valueLabel ? html`<span class="visually-hidden"> ${valueLabel}</span>` : nothing}</span>
            </li>`,
          )}
        </ul>`
      : html`<p class="muted">${none}</p>`}
  </section>`;
}

/** [{<name>: "x", <count>: n}] from the answer -> [{label, value}]. */
export function itemsOf(list, name, count) {
  return (Array.isArray(list) ? list : [])
    .map((row) => ({ label: String(row?.[name] ?? ""), value: Number(row?.[count]) || 0 }))
    .filter((row) => row.label);
}

/** Today's calls (the answer's callsToday): how many, and when, in the business zone. */
export function callsToday(calls, timeZone) {
  const list = Array.isArray(calls?.calls) ? calls.calls : [];
  const count = Number(calls?.count) || 0;
  return html`<section class="panel list-panel" data-testid="calls-today" aria-label="Today's calls">
    <h2 class="panel-title">Today's calls <span class="count-badge" data-testid="calls-count">${formatCount(count)}</span></h2>
    ${list.length
      ? html`<ul class="call-times">
          ${list.map(
            (call) => html`<li data-testid="call-time">
              <time datetime=${String(call.start || "")}>${formatTime(call.start, timeZone)}</time>${call.end
                ? html`–<time datetime=${String(call.end)}>${formatTime(call.end, timeZone)}</time>`
                : nothing}
            </li>`,
          )}
        </ul>`
      : html`<p class="muted">No calls booked for today.</p>`}
  </section>`;
}
