// The top of the customer: name, company, the stage pill and the archived / read-only
// tags; and for those who may edit, the actions card: the stage select (saves at once),
// Edit, and Archive / Unarchive.

import { html, nothing } from "lit-html";
import { live } from "lit-html/directives/live.js";
import { newId } from "../../lib/ids.js";
import { failureText, fieldErrors, outcomeText } from "./answers.js";
import { stageInfo, stageList } from "./values.js";
import { snapshotValues } from "./versions.js";

export function customerHeader(view) {
  const { s, key } = view;
  const stages = () => view.ctx && view.ctx.stages;

  function template(c) {
    const stage = stageInfo(stages(), c.stage);
    return html`<header class="cd-head">
      <div class="cd-title">
        <h1 data-field="name">${c.name || c.email || key}</h1>
        ${c.company ? html`<p class="cd-sub">${c.company}</p>` : nothing}
      </div>
      <div class="cd-head-tags">
        <span class="pill cd-pill" data-testid="stage-pill" data-field="stage" data-stage=${c.stage || ""} data-group=${stage.group}
          >${stage.label}</span
        >
        ${c.archived ? html`<span class="cd-tag cd-tag-archived" data-testid="archived-badge">Archived</span>` : nothing}
        ${view.isPartner ? html`<span class="cd-tag" data-testid="read-only">Read-only</span>` : nothing}
      </div>
    </header>`;
  }

  function actionsTemplate(c) {
    const list = stageList(stages());
    const shown = s.pendingStage || c.stage;
    const known = list.some((st) => st.id === shown);
    return html`<section class="cd-card cd-actions" aria-label="Actions">
      <label class="cd-stage-label">
        <span>Stage</span>
        <select
          data-testid="stage-select"
          name="stage"
          ?disabled=${s.busy.stage}
          @change=${(e) => changeStage(e.target.value)}
        >
          ${known ? nothing : html`<option value=${shown || ""} .selected=${live(true)}>${shown || "—"}</option>`}
          ${list.map(
            (st) => html`<option value=${st.id} data-group=${st.group} .selected=${live(st.id === shown)}>${st.label}</option>`,
          )}
        </select>
        ${s.busy.stage ? html`<span class="cd-muted cd-small">Saving…</span>` : nothing}
      </label>
      ${s.stageError ? html`<p class="cd-error" data-testid="stage-error">${s.stageError}</p>` : nothing}
      <div class="cd-buttons">
        ${s.edit
          ? nothing
          : html`<button type="button" class="cd-btn" data-testid="edit" @click=${() => view.openEdit()}>Edit</button>`}
        ${c.archived
          ? html`<button type="button" class="cd-btn" data-testid="unarchive" ?disabled=${s.busy.archive} @click=${() => setArchived(false)}>
              Unarchive
            </button>`
          : html`<button type="button" class="cd-btn cd-btn-quiet" data-testid="archive" ?disabled=${s.busy.archive} @click=${() => setArchived(true)}>
              Archive
            </button>`}
      </div>
    </section>`;
  }

  // Stage: saves at once.
  async function changeStage(stage, retryId) {
    const c = s.customer;
    if (!c || !stage || (stage === c.stage && !retryId)) return;
    const base = snapshotValues(c);
    const requestId = retryId || newId();
    const changes = { stage };
    s.pendingStage = stage;
    s.busy.stage = true;
    s.stageError = null;
    view.update();
    const res = await view.send("PATCH", "", { expected_updated_at: view.currentIso(), changes, request_id: requestId });
    s.busy.stage = false;
    s.pendingStage = null;
    const label = stageInfo(stages(), stage).label;
    if (res.ok) {
      view.setStatus("ok", outcomeText(res, `Stage changed to ${label}.`));
    } else if (res.status === 409) {
      view.showConflict("patch", changes, res, base);
    } else {
      const fields = fieldErrors(res.body);
      s.stageError = fields.stage || null;
      const why = fields.stage ? "" : res.network ? "Could not reach the server." : failureText(res);
      view.setStatus("error", `The stage was not changed to ${label}. ${why}`.trim(), {
        retry: res.network ? () => changeStage(stage, requestId) : undefined,
      });
    }
    view.update();
  }

  async function setArchived(archived) {
    if (s.busy.archive) return;
    s.archiveRetryId ||= newId();
    s.busy.archive = true;
    view.update();
    const res = await view.send("POST", archived ? "/archive" : "/unarchive", { request_id: s.archiveRetryId });
    s.busy.archive = false;
    if (res.ok) {
      s.archiveRetryId = null;
      view.setStatus(
        "ok",
        outcomeText(res, archived ? "Archived: hidden from the list, nothing deleted." : "Back from the archive."),
      );
    } else {
      if (!res.network) s.archiveRetryId = null;
      view.setStatus("error", `${archived ? "Not archived" : "Not brought back"}. ${failureText(res)}`, {
        retry: res.network ? () => setArchived(archived) : undefined,
      });
    }
    view.update();
  }

  return { template, actionsTemplate };
}
