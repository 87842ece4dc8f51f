// The funnel: how many customers are in each stage now, and the conversion between
// consecutive stages, read from the current pipeline (where customers sit today, not
// their history: the reports read the stage history). A customer has "reached" a stage
// when they are in it or in any later stage that is not lost; lost stages are counted
// beside the ladder, not on it. Shown as a table with the numbers, the bars only a help.
import { html, nothing } from "lit-html";

/**
 * rows: [{id, label, group, count, reached, conversion}] for the stages in order (lost
 * ones with reached and conversion null); conversion is reached(i) / reached(i-1), null
 * for the first stage or when nobody reached the one before.
 */
export function funnelRows(stages, customers) {
  const counts = new Map(stages.list.map((st) => [st.id, 0]));
  for (const c of customers) {
    if (counts.has(c.stage)) counts.set(c.stage, counts.get(c.stage) + 1);
  }
  const ladder = stages.list.filter((st) => st.group !== "lost");
  const reached = new Map();
  let running = 0;
  for (let i = ladder.length - 1; i >= 0; i -= 1) {
    running += counts.get(ladder[i].id);
    reached.set(ladder[i].id, running);
  }
  let previous = null;
  return stages.list.map((st) => {
    const count = counts.get(st.id);
    if (st.group === "lost") return { ...st, count, reached: null, conversion: null };
    const here = reached.get(st.id);
    const conversion = previous === null || previous === 0 ? null : here / previous;
    previous = here;
    return { ...st, count, reached: here, conversion };
  });
}

function percent(value) {
  return value === null ? "—" : `${Math.round(value * 100)}%`;
}

/** The funnel table. customers: the board's (active customers the person may see). */
export function funnelTemplate(stages, customers, { full }) {
  const rows = funnelRows(stages, customers);
  const top = Math.max(1, ...rows.map((r) => r.reached ?? r.count));
  const counted = rows.reduce((sum, r) => sum + r.count, 0);
  return html`<section class="funnel panel" data-testid="funnel" aria-labelledby="funnel-title">
    <h2 id="funnel-title" class="panel-title">Funnel of the current pipeline</h2>
    <p class="muted funnel-note">
      Where the ${counted} active customers you can see are now, not their history. A customer
      has reached a stage when they are in it or in a later one; conversion is how many of
      those who reached a stage reached the next.${full ? " Only the first customers loaded are counted." : nothing}
    </p>
    <div class="funnel-scroll" role="region" aria-label="Funnel table" tabindex="0">
      <table class="table funnel-table">
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col" class="num">In stage now</th>
            <th scope="col" class="num">Reached</th>
            <th scope="col" class="num">Conversion from previous stage</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r) => html`<tr data-testid="funnel-row" data-stage=${r.id}>
              <th scope="row">
                <span class="pill" data-group=${r.group}>${r.label}</span>
                <span class="funnel-bar" aria-hidden="true"
                  ><span class="funnel-fill" data-group=${r.group} style=${`width: ${Math.round(((r.reached ?? r.count) / top) * 100)}%`}></span
                ></span>
              </th>
              <td class="num" data-testid="funnel-count">${r.count}</td>
              <td class="num" data-testid="funnel-reached">${r.reached === null ? "—" : r.reached}</td>
              <td class="num" data-testid="funnel-conversion">${r.group === "lost" ? "lost" : percent(r.conversion)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </section>`;
}
