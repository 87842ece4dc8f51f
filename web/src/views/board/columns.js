// The board itself: one column per stage, in the pipeline's order, headed by the stage's
// pill (coloured by group) and how many cards it holds; each card a customer, with a
// link to their page and a "Move to…" select with a Move button, the keyboard's and the
// screen reader's way to do what a drag does. Columns scroll sideways inside their own
// labelled, focusable region, so a phone's page never does.
import { html, nothing } from "lit-html";
import { repeat } from "lit-html/directives/repeat.js";

/**
 * The columns for the customers: the stages in order, then a column for any stage id a
 * customer holds that the pipeline no longer lists (so no card is ever hidden).
 * A pending move shows the card in the column it is moving to.
 */
export function columnsFor(stages, customers, pending) {
  const columns = stages.list.map((st) => ({ ...st, cards: [] }));
  const byId = new Map(columns.map((col) => [col.id, col]));
  for (const c of customers) {
    const stage = pending.get(c.key)?.stage || c.stage || "";
    if (!byId.has(stage)) {
      const col = { id: stage, label: stages.label(stage), group: stages.group(stage), cards: [] };
      byId.set(stage, col);
      columns.push(col);
    }
    byId.get(stage).cards.push(c);
  }
  for (const col of columns) {
    col.cards.sort((a, b) => (a.name || a.key).localeCompare(b.name || b.key) || a.key.localeCompare(b.key));
  }
  return columns;
}

/** opts: {stages, pending, drag (drag.js), onMove(c, stage), ownerName(uid)} */
export function boardTemplate(columns, opts) {
  return html`<div class="board-scroll" role="region" aria-label="Pipeline board, one column per stage" tabindex="0" data-testid="board">
    <div class="board-columns">
      ${repeat(
        columns,
        (col) => col.id,
        (col) => html`<section class="board-column" data-testid="board-column" data-stage=${col.id}
          aria-labelledby=${`board-col-${col.id}`}
          @dragover=${(event) => opts.drag.over(event, col.id)} @dragleave=${opts.drag.leave}
          @drop=${(event) => opts.drag.drop(event, col.id)}>
          <h2 class="board-column-head" id=${`board-col-${col.id}`}>
            <span class="pill" data-group=${col.group}>${col.label}</span>
            <span class="board-count" data-testid="board-count">${col.cards.length}<span class="visually-hidden">
                ${col.cards.length === 1 ? "customer" : "customers"}</span></span>
          </h2>
          ${col.cards.length
            ? html`<ul class="board-cards">
                ${repeat(col.cards, (c) => c.key, (c) => card(c, opts))}
              </ul>`
            : html`<p class="board-empty muted">No customers here.</p>`}
        </section>`,
      )}
    </div>
  </div>`;
}

function card(c, opts) {
  const name = c.name || c.key;
  const pending = opts.pending.get(c.key);
  const shown = pending?.stage || c.stage;
  const owner = opts.ownerName(c.ownerUid);
  return html`<li class="board-card ${pending ? "board-card-moving" : ""}" data-testid="board-card" data-key=${c.key}
    data-stage=${shown || ""} aria-busy=${pending ? "true" : "false"}
    draggable=${pending ? "false" : "true"} @dragstart=${(event) => opts.drag.start(event, c)} @dragend=${opts.drag.end}>
    <a class="board-card-name" data-testid="board-card-name" href=${`#/customers/${encodeURIComponent(c.key)}`} draggable="false"
      >${name}</a>
    ${c.company ? html`<span class="board-card-meta">${c.company}</span>` : nothing}
    ${owner ? html`<span class="board-card-meta">${owner}</span>` : nothing}
    ${pending ? html`<span class="board-card-meta" data-testid="board-card-moving">Moving…</span>` : nothing}
    <div class="board-move">
      <label class="board-move-label"
        ><span>Move <span class="visually-hidden">${name} </span>to</span>
        <select data-testid="board-move-select" ?disabled=${Boolean(pending)}>
          ${opts.stages.list.map(
            (st) => html`<option value=${st.id} ?selected=${st.id === shown}>${st.label}</option>`,
          )}
        </select></label
      >
      <button type="button" class="button button-small" data-testid="board-move" ?disabled=${Boolean(pending)}
        @click=${(event) => {
          const select = event.currentTarget.closest("li").querySelector("select");
          opts.onMove(c, select.value);
        }}>Move<span class="visually-hidden"> ${name}</span></button>
    </div>
  </li>`;
}
