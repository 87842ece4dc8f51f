// Who a routing rule (or the fallback) gives a lead to: one rep, or a group of reps shared
// by round robin in the order shown. The choices are the team's active reps; a rep the
// stored rules name who is no longer one stays listed, marked, so the owner sees why the
// server refuses it. The fallback may also leave leads unassigned (with the owner).
import { html, nothing } from "lit-html";
import { nameOf } from "./routing-rules.js";

/** An error message of a part, its id for aria-describedby and the element showing it. */
export function errorOf(id, message, part) {
  return {
    invalid: message ? "true" : "false",
    describedBy: message ? id : nothing,
    shown: message ? html`<span class="bs-error" id=${id} data-testid="field-error" data-part=${part}>${message}</span>` : nothing,
  };
}

/**
 * part: {mode, rep, group}; errors: {rep?, group?, action?}; reps: the active reps
 * [{uid, displayName, email}]; team: every entry by uid (names for the others); key: a
 * prefix unique on the page; set(field, value); allowNone: offer "leave unassigned".
 */
export function actionPicker({ part, errors, reps, team, key, set, allowNone = false, legend }) {
  const modeErr = errorOf(`${key}-err-action`, errors.action, "action");
  const repErr = errorOf(`${key}-err-rep`, errors.rep, "rep");
  const groupErr = errorOf(`${key}-err-group`, errors.group, "group");
  const modes = [
    ...(allowNone ? [{ id: "none", label: "Nobody: leave it unassigned (the owner sees it)" }] : []),
    { id: "rep", label: "One rep" },
    { id: "group", label: "A group, by round robin" },
  ];
  const others = part.group.filter((uid) => !reps.some((r) => r.uid === uid));
  const repKnown = !part.rep || reps.some((r) => r.uid === part.rep);
  const label = (uid) => `${team[uid] ? nameOf(team[uid]) : uid} (not an active rep)`;

  const ordered = [...reps.map((r) => r.uid), ...others];

  /** The group is kept in the order shown (the team's), which is the round robin's. */
  function toggle(uid, on) {
    set("group", ordered.filter((g) => (g === uid ? on : part.group.includes(g))));
  }

  return html`<fieldset class="rt-action" data-testid="rule-action">
    <legend class="bs-label">${legend}</legend>
    <div class="rt-modes">
      ${modes.map(
        (m) => html`<label class="rt-mode"><input type="radio" name=${`${key}-mode`} value=${m.id} data-testid="action-mode"
          data-invalid=${modeErr.invalid} aria-describedby=${modeErr.describedBy}
          .checked=${part.mode === m.id} @change=${() => set("mode", m.id)} />${m.label}</label>`,
      )}
    </div>
    ${modeErr.shown}
    ${part.mode === "rep"
      ? html`<label class="bs-field rt-rep">
          <span class="bs-label">Rep</span>
          <select data-testid="action-rep" .value=${part.rep} aria-invalid=${repErr.invalid} aria-describedby=${repErr.describedBy}
            @change=${(e) => set("rep", e.target.value)}>
            <option value="" ?selected=${!part.rep}>Choose a rep</option>
            ${reps.map((r) => html`<option value=${r.uid} ?selected=${r.uid === part.rep}>${nameOf(r)}</option>`)}
            ${repKnown ? nothing : html`<option value=${part.rep} selected>${label(part.rep)}</option>`}
          </select>
          ${repErr.shown}
        </label>`
      : nothing}
    ${part.mode === "group"
      ? html`<fieldset class="rt-group">
          <legend class="bs-label">Reps in the group (leads go round in this order)</legend>
          ${reps.length || others.length ? nothing : html`<p class="bs-hint">No active rep on the team yet.</p>`}
          ${[...reps.map((r) => [r.uid, nameOf(r)]), ...others.map((uid) => [uid, label(uid)])].map(
            ([uid, name]) => html`<label class="rt-member"><input type="checkbox" data-testid="action-member" value=${uid}
              data-invalid=${groupErr.invalid} aria-describedby=${groupErr.describedBy}
              .checked=${part.group.includes(uid)} @change=${(e) => toggle(uid, e.target.checked)} />${name}</label>`,
          )}
          ${groupErr.shown}
        </fieldset>`
      : nothing}
  </fieldset>`;
}
