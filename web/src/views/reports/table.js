// One report as a table: a row per source, stage, rep or show, the totals in the foot.
// The reports describe their columns (lead-sources.js and its siblings); this draws
// them. Every name is data (a source's label, a rep's name) and is bound as text.
// Wide tables scroll inside their own labelled, focusable box, never the page.
import { html, nothing } from "lit-html";
import { formatCount, formatMoney, formatPercent } from "../../lib/format.js";

/** Days with one decimal as the function sends them (12.5); "—" when there are none. */
export function days(value) {
  return typeof value === "number" && Number.isFinite(value) ? formatCount(value) : "—";
}

export const count = (value) => formatCount(Number(value) || 0);
export const percent = (value) => formatPercent(value);
export const money = (minor, currency) => formatMoney(Number(minor) || 0, currency);

/** The money axis of a chart: "€1.5K" for 150000 cents. */
export function moneyAxis(currency, digits) {
  let f;
  try {
    f = new Intl.NumberFormat("en-GB", { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 });
  } catch {
    f = new Intl.NumberFormat("en-GB", { notation: "compact", maximumFractionDigits: 1 });
  }
  return { toMajor: (minor) => (Number(minor) || 0) / 10 ** digits, format: (major) => f.format(major) };
}

/**
 * columns: [{key, label, num?, cell(row) -> text}]; the first column names the row
 * (a row header). rows: the report's rows; totals: its totals row or null. testid: the
 * table's data-testid; label: what the scrolling box is called.
 */
export function reportTable({ columns, rows, totals, testid, label, rowKey }) {
  const [first, ...rest] = columns;
  const cells = (row) => rest.map(
    (c) => html`<td class=${c.num ? "num" : ""} data-col=${c.key}>${c.cell(row)}</td>`,
  );
  return html`<div class="table-scroll" role="region" aria-label=${label} tabindex="0">
    <table class="data-table report-table" data-testid=${testid}>
      <thead>
        <tr>${columns.map((c) => html`<th scope="col" class=${c.num ? "num" : ""} data-col=${c.key}>${c.label}</th>`)}</tr>
      </thead>
      <tbody>
        ${rows.map(
          (row) => html`<tr data-testid="report-row" data-key=${String(rowKey(row) ?? "")}>
            <th scope="row" data-col=${first.key}>${first.cell(row)}</th>
            ${cells(row)}
          </tr>`,
        )}
      </tbody>
      ${totals
        ? html`<tfoot>
            <tr data-testid="report-totals">
              <th scope="row" data-col=${first.key}>Total</th>
              ${cells(totals)}
            </tr>
          </tfoot>`
        : nothing}
    </table>
  </div>`;
}
