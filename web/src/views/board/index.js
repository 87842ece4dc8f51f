// The Board (#/board) and the Funnel (#/board?view=funnel): the active customers by
// stage, live for everyone looking. The owner sees every customer, a rep their own (the
// query carries ownerUid == uid, as the rules require); archived customers are left out.
//
// Moves go through the admin API (move.js) by drag and drop (drag.js) or each card's
// "Move to…" select; a live region says what happened, an alert when a move is refused.
// The funnel (funnel.js) counts the same customers. Reads: watchBoardCustomers.
import { html, nothing, render } from "lit-html";
import { listTeam, watchBoardCustomers } from "../../data/firestore.js";
import { follow, listState } from "../live.js";
import { boardTemplate, columnsFor } from "./columns.js";
import { dragHandlers } from "./drag.js";
import { funnelTemplate } from "./funnel.js";
import { mover, settleAll } from "./move.js";

const MAX_CARDS = 500;
const LIST_STATE = {
  quiet: "muted",
  alert: "cd-error",
  testid: "board",
  loading: "Loading the board…",
  failed: "The board could not be loaded.",
  empty: "No active customers yet. New contacts appear here in their first stage.",
};

/** view: "board" or "funnel". */
export function renderBoard(container, ctx, view) {
  const { session } = ctx;
  const isOwner = session.role === "owner";
  const s = {
    status: "loading",
    error: null,
    customers: [],
    full: false,
    pending: new Map(), // key -> {stage, since, saved}: moves not yet shown by the listener
    dragging: null,
    said: "", // the live region's last sentence
    alert: "",
    focusKey: null,
    team: new Map(),
  };
  let disposed = false;
  let flip = false;

  const board = {
    s,
    update,
    stages: () => ctx.stages,
    disposed: () => disposed,
    // The same sentence twice is still read out: alternate a no-break space.
    announce(text) {
      flip = !flip;
      s.said = flip ? `${text}\u00a0` : text;
    },
    alert(text) {
      s.alert = text;
    },
  };
  const move = mover(ctx, board);
  board.move = move;
  const drag = dragHandlers(board);

  const unsubscribe = follow(
    { update, disposed: () => disposed },
    s,
    (onChange, onError) =>
      watchBoardCustomers(ctx.db, { ownerUid: isOwner ? null : session.uid, max: MAX_CARDS }, onChange, onError),
    ({ customers, full }) => {
      s.customers = customers;
      s.full = full;
      settleAll(s);
    },
  );
  const stopStages = ctx.onChange("stages", () => update());
  if (isOwner) loadTeam();

  async function loadTeam() {
    try {
      const team = await listTeam(ctx.db);
      s.team = new Map(team.map((m) => [m.uid, m.displayName || m.email || m.uid]));
      update();
    } catch {
      /* names are a nicety: cards show none */
    }
  }

  function ownerName(uid) {
    if (!isOwner) return "";
    if (!uid) return "Unassigned";
    return uid === session.uid ? "You" : s.team.get(uid) || uid;
  }

  function keyboardMove(customer, stage) {
    s.focusKey = customer.key;
    move(customer, stage);
  }

  function update() {
    if (disposed) return;
    render(template(), container);
    if (s.focusKey) {
      const card = [...container.querySelectorAll("[data-testid=board-card]")].find((el) => el.dataset.key === s.focusKey);
      const select = card?.querySelector("select");
      if (select && !select.disabled && !s.pending.has(s.focusKey)) {
        select.focus();
        s.focusKey = null;
      } else if (!card) {
        s.focusKey = null;
      }
    }
  }

  function tabs() {
    const link = (name, href, label) =>
      html`<a class="board-tab" href=${href} data-testid=${`board-tab-${name}`} aria-current=${view === name ? "page" : "false"}
        >${label}</a
      >`;
    return html`<nav class="board-tabs" aria-label="Board views">
      ${link("board", "#/board", "Board")} ${link("funnel", "#/board?view=funnel", "Funnel")}
    </nav>`;
  }

  function template() {
    const body = listState(s, s.customers.length, LIST_STATE);
    return html`<section class="board-screen" data-testid="board-screen">
      <header class="page-head">
        <div class="page-title-row"><h1 class="page-title" tabindex="-1">${view === "funnel" ? "Funnel" : "Board"}</h1></div>
        <p class="page-sub muted">
          ${isOwner ? "Every active customer" : "Your active customers"} by stage, live.
          ${view === "board" ? "Drag a card to another stage, or use its Move to… list." : nothing}
        </p>
        ${tabs()}
      </header>
      <p class="visually-hidden" role="status" aria-live="polite" data-testid="board-said">${s.said}</p>
      ${s.alert
        ? html`<p class="cd-error board-alert" role="alert" data-testid="board-alert">
            ${s.alert}
            <button type="button" class="button button-quiet" @click=${() => { s.alert = ""; update(); }}>Dismiss</button>
          </p>`
        : nothing}
      ${s.full ? html`<p class="muted" data-testid="board-full">Showing the first ${MAX_CARDS} customers.</p>` : nothing}
      ${body ||
      (view === "funnel"
        ? funnelTemplate(ctx.stages, s.customers, { full: s.full })
        : boardTemplate(columnsFor(ctx.stages, s.customers, s.pending), {
            stages: ctx.stages,
            pending: s.pending,
            drag,
            onMove: keyboardMove,
            ownerName,
          }))}
    </section>`;
  }

  update();
  document.title = `${view === "funnel" ? "Funnel" : "Board"} · Hearth`;

  return function cleanup() {
    disposed = true;
    unsubscribe();
    stopStages();
    render(nothing, container);
  };
}
