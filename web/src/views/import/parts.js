// The import screen's pieces, each drawing one thing from the screen's state: the
// mapping table (a labelled <select> per column), the preview of the first rows, the
// progress bar with its words, and the summary. index.js owns the state and the calls.
import { html, nothing } from "lit-html";
import { formatCount } from "../../lib/format.js";

const FORMATS = {
  hearth: "Hearth's own export",
  hubspot: "HubSpot contacts export",
  pipedrive: "Pipedrive people export",
};

const TARGET_LABELS = {
  email: "E-mail",
  name: "Name",
  first_name: "First name",
  last_name: "Last name",
  company: "Company",
  mobile: "Mobile",
  consent: "Marketing consent",
  source: "Source",
  ignore: "Ignore this column",
};

const ACTIONS = {
  create: "New customer",
  fill: "Fills gaps",
  unchanged: "Nothing to change",
  skip: "Skipped",
  error: "Not imported",
};

export function formatName(format) {
  return FORMATS[format] || "Not a known export: the columns were guessed";
}

function targetLabel(target) {
  if (target.startsWith("custom.")) return `Custom field: ${target.slice(7)}`;
  return TARGET_LABELS[target] || target;
}

/** headers, mapping, targets, errors {"mapping.3": "..."}; onChange(index, target). */
export function mappingTable({ headers, mapping, targets, errors, disabled, onChange }) {
  return html`${errors.mapping ? html`<p class="bs-error" data-testid="field-error" data-part="mapping">${errors.mapping}</p>` : nothing}
  <table class="im-table" data-testid="import-mapping">
    <caption class="bs-label">What each column is</caption>
    <thead><tr><th scope="col">Column</th><th scope="col">Imported as</th></tr></thead>
    <tbody>
      ${headers.map((header, index) => {
        const id = `im-col-${index}`;
        const error = errors[`mapping.${index}`];
        return html`<tr>
          <th scope="row"><label for=${id}>${header || `(column ${index + 1})`}</label></th>
          <td>
            <select id=${id} data-testid="import-target" data-column=${header} ?disabled=${disabled}
              aria-invalid=${error ? "true" : "false"} aria-describedby=${error ? `${id}-err` : nothing}
              @change=${(event) => onChange(index, event.target.value)}>
              ${targets.map((target) => html`<option value=${target} ?selected=${mapping[index] === target}>${targetLabel(target)}</option>`)}
            </select>
            ${error ? html`<span class="bs-error" id=${`${id}-err`} data-testid="field-error">${error}</span>` : nothing}
          </td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}

function values(map) {
  const entries = Object.entries(map || {});
  if (!entries.length) return "";
  return entries
    .map(([key, value]) => {
      if (value && typeof value === "object" && "stored" in value) return `${key}: keeps ${value.stored}, file says ${value.submitted}`;
      return `${key}: ${Array.isArray(value) ? value.join(", ") : value}`;
    })
    .join("; ");
}

/** rows: the preview's [{line, email, action, fills, conflicts, reason}]. */
export function previewTable(rows) {
  return html`<table class="im-table im-preview" data-testid="import-preview">
    <caption class="bs-label">The first ${formatCount(rows.length)} rows</caption>
    <thead><tr><th scope="col">Line</th><th scope="col">E-mail</th><th scope="col">What happens</th><th scope="col">Details</th></tr></thead>
    <tbody>
      ${rows.map(
        (row) => html`<tr data-testid="import-preview-row" data-action=${row.action} data-line=${row.line}>
          <td>${row.line}</td>
          <td class="im-email">${row.email}</td>
          <td><span class="im-action im-${row.action}">${ACTIONS[row.action] || row.action}</span></td>
          <td class="im-details">${row.reason || [values(row.fills), values(row.conflicts)].filter(Boolean).join(" · ")}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

/** The words under the bar: "12,000 of 50,000 rows · 3 problems · 4,812 of 5,000 routed". */
export function progressWords(job, done, total) {
  const counts = job?.counts || {};
  const problems = (counts.errors || 0) + (counts.skipped || 0);
  const parts = [`${formatCount(done)} of ${formatCount(total)} rows`, `${formatCount(problems)} ${problems === 1 ? "problem" : "problems"}`];
  if (counts.routed) parts.push(`${formatCount(counts.routed)} of ${formatCount(counts.created || 0)} new customers routed`);
  return parts.join(" · ");
}

export function progressBar({ job, done, total, state }) {
  const lead = { running: "Importing:", stopping: "Stopping after this chunk:", stopped: "Stopped:", done: "Done:" }[state] || "";
  return html`<div class="im-progress" data-testid="import-progress" data-state=${state} data-done=${done} data-total=${total}>
    <progress max=${total || 1} .value=${done} aria-label="Import progress"></progress>
    <p class="bs-status" role="status" data-testid="import-status">${lead} ${progressWords(job, done, total)}</p>
  </div>`;
}

export function summary(job) {
  const c = job.counts || {};
  const items = [
    ["created", "new customers"],
    ["filled", "customers with gaps filled"],
    ["unchanged", "already up to date"],
    ["skipped", "erased on request, not imported again"],
    ["errors", "rows with a problem"],
  ];
  return html`<ul class="im-summary" data-testid="import-summary">
    ${items.map(([key, words]) => html`<li data-count=${key}><strong>${formatCount(c[key] || 0)}</strong> ${words}</li>`)}
    ${c.routed ? html`<li data-count="routed"><strong>${formatCount(c.routed)}</strong> routed to a rep</li>` : nothing}
  </ul>`;
}
