// Duplicates (#/duplicates, the owner's): customers that look like one person under two
// keys (a shared mobile, or a very similar name at the same company), each pair with
// both records side by side and why it is listed; "Not the same person" forgets the
// pair for good, "Merge…" opens the merge panel (merge-panel.js). The pairs come from
// the admin function (data/merges-api.js), which scans the customers. Loaded lazily.
import { html, nothing, render } from "lit-html";
import { mergesApi } from "../../data/merges-api.js";
import { formatCount, formatDate } from "../../lib/format.js";
import { stageInfo } from "../customer/values.js";
import { mergePanel } from "./merge-panel.js";

export function renderDuplicates(container, ctx) {
  let disposed = false;
  const api = mergesApi(ctx.api);
  const s = { status: "loading", pairs: [], more: false, error: "", busy: "", said: "" };
  let panel = null;

  function update() {
    if (!disposed) render(template(), container);
  }

  async function load() {
    const answer = await api.duplicates();
    if (disposed) return;
    if (answer.ok) {
      s.pairs = answer.body.pairs || [];
      s.more = Boolean(answer.body.more);
      s.status = "ready";
    } else {
      s.status = "error";
      s.error = answer.message;
    }
    update();
  }

  async function dismiss(pair) {
    s.busy = pair.id;
    update();
    const answer = await api.dismiss(pair.id);
    if (disposed) return;
    s.busy = "";
    if (answer.ok) {
      s.pairs = s.pairs.filter((p) => p.id !== pair.id);
      s.said = `${nameOf(pair.a)} and ${nameOf(pair.b)} will not be listed again.`;
    } else {
      s.said = answer.message;
    }
    update();
    queueMicrotask(() => container.querySelector("[data-testid=duplicates-said]")?.focus());
  }

  function openMerge(pair) {
    panel = mergePanel(pair, {
      api,
      stages: ctx.stages,
      update,
      close: () => {
        const id = pair.id;
        panel = null;
        update();
        queueMicrotask(() => container.querySelector(`[data-pair="${CSS.escape(id)}"] [data-testid=merge-open]`)?.focus());
      },
      merged: (survivor) => ctx.navigate(`#/customers/${encodeURIComponent(survivor)}`),
    });
    update();
    queueMicrotask(() => container.querySelector("[data-testid=merge-panel] h2")?.focus());
  }

  function record(c, label) {
    const stage = c.stage ? stageInfo(ctx.stages, c.stage).label : "";
    return html`<div class="dp-record" data-testid="duplicate-record">
      <h3 class="dp-name">${label}: ${nameOf(c)}</h3>
      <dl class="dp-fields">
        <div><dt>E-mail</dt><dd>${c.email || "none"}</dd></div>
        <div><dt>Company</dt><dd>${c.company || "none"}</dd></div>
        <div><dt>Mobile</dt><dd>${c.mobile || "none"}</dd></div>
        <div><dt>Created</dt><dd>${c.createdAt ? formatDate(c.createdAt, ctx.config.businessTimeZone) : "unknown"}</dd></div>
        <div><dt>Stage</dt><dd>${stage || "none"}</dd></div>
        <div><dt>Owner</dt><dd>${c.ownerUid || "unassigned"}</dd></div>
      </dl>
      <a href=${`#/customers/${encodeURIComponent(c.key)}`}>Open ${nameOf(c)}</a>
    </div>`;
  }

  function card(pair) {
    if (panel && panel.pair.id === pair.id) return html`<li class="bs-card dp-pair" data-pair=${pair.id}>${panel.template()}</li>`;
    return html`<li class="bs-card dp-pair" data-testid="duplicate-pair" data-pair=${pair.id}>
      <p class="dp-why" data-testid="duplicate-reasons">Listed because: ${pair.reasons.join("; ")}.</p>
      <div class="dp-records">${record(pair.a, "A")}${record(pair.b, "B")}</div>
      <div class="bs-actions">
        <button type="button" class="button" data-testid="duplicate-dismiss" ?disabled=${s.busy === pair.id} @click=${() => dismiss(pair)}>
          Not the same person
        </button>
        <button type="button" class="button button-primary" data-testid="merge-open" @click=${() => openMerge(pair)}>Merge…</button>
      </div>
    </li>`;
  }

  function body() {
    if (s.status === "loading") return html`<p class="bs-help">Looking for duplicates…</p>`;
    if (s.status === "error") return html`<p class="bs-alert" role="alert" data-testid="duplicates-error">${s.error}</p>`;
    if (!s.pairs.length) return html`<p class="bs-help" data-testid="duplicates-empty">No duplicates found.</p>`;
    return html`<p class="bs-help" data-testid="duplicates-summary">${formatCount(s.pairs.length)}
        ${s.pairs.length === 1 ? "pair" : "pairs"}${s.more ? " (the surest first; merge or dismiss some to see more)" : ""}.</p>
      <ul class="dp-list" aria-label="Possible duplicates">${s.pairs.map(card)}</ul>`;
  }

  function template() {
    return html`<section class="bs settings dp" data-testid="duplicates">
      <header class="page-head bs-head">
        <div>
          <h1 class="page-title">Duplicates</h1>
          <p class="page-sub bs-sub">Customers who may be one person under two e-mail addresses: the same mobile, or a very
            similar name at the same company. Merging keeps one record with everything of both, and can be undone from its
            timeline.</p>
        </div>
      </header>
      ${s.said ? html`<p class="bs-note" tabindex="-1" role="status" data-testid="duplicates-said">${s.said}</p>` : nothing}
      ${body()}
    </section>`;
  }

  document.title = "Duplicates · Hearth";
  update();
  load();

  return () => {
    disposed = true;
    render(nothing, container);
  };
}

export function nameOf(c) {
  return String(c.name || c.email || c.key);
}
