// Source to money: for each source, the visitors it brought, the leads they became, the
// deals won and the money paid, and the conversion at each step; "Download CSV" saves
// the same table from the function (api.download, the path of the customers' export).
import { html, nothing } from "lit-html";
import { formatCount, formatDecimalMoney, formatPercent } from "../../lib/format.js";

/**
 * rows: the answer's `sourceToMoney`; currency: the answer's `currency`; download: the
 * button's state {busy, message} and its action onDownload().
 */
export function sourceToMoney(rows, currency, { busy, message, onDownload }) {
  const list = Array.isArray(rows) ? rows : [];
  return html`<section class="panel" data-testid="money" aria-labelledby="money-title">
    <div class="panel-head">
      <h2 class="panel-title" id="money-title">Source to money</h2>
      <button type="button" class="button" data-testid="download-csv" @click=${onDownload} ?disabled=${busy}>
        ${busy ? "Downloading…" : "Download CSV"}
      </button>
    </div>
    <p class="muted panel-note" role="status" aria-live="polite" data-testid="download-message">${message || nothing}</p>
    ${list.length
      ? html`<div class="table-scroll" role="region" aria-label="Source to money, by source" tabindex="0">
          <table class="data-table">
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col" class="num">Visitors</th>
                <th scope="col" class="num">Leads</th>
                <th scope="col" class="num">Won</th>
                <th scope="col" class="num">Revenue</th>
                <th scope="col" class="num">Visitor → lead</th>
                <th scope="col" class="num">Lead → won</th>
              </tr>
            </thead>
            <tbody>
              ${list.map(
                (row) => html`<tr data-testid="money-row" data-source=${String(row.source ?? "")}>
                  <th scope="row" data-col="source">${String(row.source ?? "")}</th>
                  <td class="num" data-col="visitors">${formatCount(row.visitors)}</td>
                  <td class="num" data-col="leads">${formatCount(row.leads)}</td>
                  <td class="num" data-col="won">${formatCount(row.won)}</td>
                  <td class="num" data-col="revenue">${formatDecimalMoney(row.revenue, currency)}</td>
                  <td class="num" data-col="visitorToLead">${formatPercent(row.visitorToLead)}</td>
                  <td class="num" data-col="leadToWon">${formatPercent(row.leadToWon)}</td>
                </tr>`,
              )}
            </tbody>
          </table>
        </div>`
      : html`<p class="muted">No visitors or leads with a source in this period.</p>`}
  </section>`;
}
