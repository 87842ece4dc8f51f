// The team (#/team, the owner's): everyone in the team directory with their role and
// whether they can sign in; for each active rep their away dates (away.js); for someone
// disabled or no longer a rep who still owns open customers, the hand-over (handover.js).
// The directory is read from Firestore (team/*, the owner reads it all), the open
// customers counted without reading them; every change goes through the admin function
// (data/team-api.js). Loaded lazily, as its own chunk.
import { html, nothing, render } from "lit-html";
import { countCustomers, listTeam } from "../../data/firestore.js";
import { teamApi } from "../../data/team-api.js";
import { formatCount } from "../../lib/format.js";
import { awayEditor } from "./away.js";
import { handoverPanel } from "./handover.js";

const ROLE_LABELS = { owner: "Owner", manager: "Manager", rep: "Sales rep", partner: "Partner" };

const isActiveRep = (m) => m.role === "rep" && !m.disabled;
/** Someone whose customers should go to someone else: disabled, or no longer a rep. */
const isLeaving = (m) => m.role !== "owner" && !isActiveRep(m);

export function renderTeam(container, ctx) {
  let disposed = false;
  const api = teamApi(ctx.api);
  const s = { status: "loading", members: [], open: {}, error: "" };
  const away = new Map(); // uid -> awayEditor
  const handovers = new Map(); // uid -> handoverPanel
  const view = {
    update,
    disposed: () => disposed,
    focus(uid, testid) {
      queueMicrotask(() => container.querySelector(`[data-uid="${CSS.escape(uid)}"] [data-testid=${testid}]`)?.focus());
    },
  };

  function update() {
    if (!disposed) render(template(), container);
  }

  const reps = () => s.members.filter(isActiveRep);

  async function count(uid) {
    try {
      s.open[uid] = await countCustomers(ctx.db, { ownerUid: uid, archived: false });
    } catch (err) {
      console.error(err);
      s.open[uid] = null;
    }
    update();
  }

  async function load() {
    try {
      const members = await listTeam(ctx.db);
      if (disposed) return;
      s.members = members.sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
      for (const m of s.members) {
        if (isActiveRep(m)) {
          if (!away.has(m.uid)) away.set(m.uid, awayEditor(m, view, api));
          else away.get(m.uid).sync(m);
        }
        if (isLeaving(m)) {
          if (!handovers.has(m.uid)) handovers.set(m.uid, handoverPanel(m, view, api, { reps, moved: () => count(m.uid) }));
          count(m.uid);
        }
      }
      s.status = "ready";
    } catch (err) {
      console.error(err);
      s.status = "error";
    }
    update();
  }

  function nameOf(m) {
    return String(m.displayName || m.email || m.uid);
  }

  function leaving(m) {
    const open = s.open[m.uid];
    const panel = handovers.get(m.uid);
    if (open === undefined) return html`<p class="bs-hint">Counting their open customers…</p>`;
    if (open === null) return html`<p class="bs-alert" role="alert">Their open customers could not be counted.</p>`;
    if (open === 0 && !panel.running()) {
      return html`${panel.hasJob() ? panel.template(0) : nothing}
        <p class="bs-hint" data-testid="handover-none">No open customer left with them.</p>`;
    }
    return panel.template(open);
  }

  function member(m) {
    const status = m.disabled ? "Disabled: cannot sign in" : m.role === "rep" || m.role === "owner" ? "Active" : "";
    return html`<li class="bs-card tm-member" data-testid="team-member" data-uid=${m.uid} data-role=${m.role || ""}>
      <div class="tm-head">
        <h2 class="bs-subtitle tm-name" data-testid="team-name">${nameOf(m)}</h2>
        <span class="role-pill" data-testid="team-role">${ROLE_LABELS[m.role] || "No role"}</span>
        ${status ? html`<span class="muted" data-testid="team-status">${status}</span>` : nothing}
      </div>
      <p class="muted tm-email" data-testid="team-email">${m.email || ""}</p>
      ${isActiveRep(m) ? away.get(m.uid).template() : nothing}
      ${isLeaving(m) ? leaving(m) : nothing}
    </li>`;
  }

  function body() {
    if (s.status === "loading") return html`<p class="bs-help">Loading the team…</p>`;
    if (s.status === "error") return html`<p class="bs-alert" role="alert" data-testid="team-error">The team could not be loaded.</p>`;
    if (!s.members.length) return html`<p class="bs-help" data-testid="team-empty">No one in the team directory yet.</p>`;
    const activeReps = reps().length;
    return html`<p class="bs-help" data-testid="team-summary">${formatCount(s.members.length)} people, ${formatCount(activeReps)}
        active ${activeReps === 1 ? "rep" : "reps"}.</p>
      <ul class="tm-list" aria-label="The team">${s.members.map(member)}</ul>`;
  }

  function template() {
    return html`<section class="bs settings tm" data-testid="team">
      <header class="page-head bs-head">
        <div>
          <h1 class="page-title">Team</h1>
          <p class="page-sub bs-sub">Who routing can give leads to, who is away, and handing over the customers of someone who
            left. Who gets which lead is set in <a href="#/settings/routing">Lead routing</a>.</p>
        </div>
      </header>
      ${body()}
    </section>`;
  }

  document.title = "Team · Hearth";
  update();
  load();

  return () => {
    disposed = true;
    render(nothing, container);
  };
}
