// The period a report covers: From and To business days (inclusive), kept in the hash
// with the report (#/reports?report=reps&from=2026-01-01&to=2026-03-31) so a reload, a
// shared link and the back button show the same figures. The reps report adds
// &by=creation when its wins and revenue are counted for the first owner (absent: at
// the win). The form that changes it (two
// date inputs and "Show", checked here before anything is asked) and the presets.
import { html, nothing } from "lit-html";
import { addDays, daysBetween, isoDate, parseIsoDate, todayIn } from "../../lib/zoned.js";

export const MAX_DAYS = 366; // the function refuses a longer span (naming `from`)

export const PRESETS = [
  { id: "30d", label: "30 days", days: 30 },
  { id: "90d", label: "90 days", days: 90 },
  { id: "12m", label: "12 months", months: 12 },
];

/** The preset's From and To, ending on the business day `today` ({year, month, day}). */
export function presetPeriod(id, today) {
  const preset = PRESETS.find((p) => p.id === id) || PRESETS[0];
  const first = preset.months
    ? addDays({ year: today.year - 1, month: today.month, day: today.day }, 1)
    : addDays(today, 1 - preset.days);
  return { from: isoDate(first), to: isoDate(today) };
}

/** The preset a period is, if it is one ending today; else "". */
export function presetOf(period, today) {
  return PRESETS.find((p) => {
    const asked = presetPeriod(p.id, today);
    return asked.from === period.from && asked.to === period.to;
  })?.id || "";
}

/**
 * What is wrong with a typed period, as {field, message} naming the input to fix, or
 * null when the function will take it.
 */
export function checkPeriod(from, to) {
  const first = parseIsoDate(from);
  const last = parseIsoDate(to);
  if (!first) return { field: "from", message: "Enter the first day of the period in From." };
  if (!last) return { field: "to", message: "Enter the last day of the period in To." };
  const days = daysBetween(first, last) + 1;
  if (days < 1) return { field: "to", message: "To is before From: pick a To on or after From." };
  if (days > MAX_DAYS) {
    return {
      field: "from",
      message: `A report covers at most ${MAX_DAYS} days: move From to ${isoDate(addDays(last, 1 - MAX_DAYS))} or later.`,
    };
  }
  return null;
}

/**
 * {report, from, to, by} the hash asks for; the last 30 days when it names no usable
 * period; by "creation" only on the reps report, else "win".
 */
export function readHash(hash, timeZone, reports) {
  const query = new URLSearchParams(String(hash || "").split("?")[1] || "");
  const asked = query.get("report");
  const report = reports.includes(asked) ? asked : reports[0];
  const by = report === "reps" && query.get("by") === "creation" ? "creation" : "win";
  const from = query.get("from") || "";
  const to = query.get("to") || "";
  if (!checkPeriod(from, to)) return { report, from, to, by };
  return { report, ...presetPeriod("30d", todayIn(timeZone)), by };
}

export function hashFor({ report, from, to, by }) {
  const query = new URLSearchParams({ report, from, to });
  if (report === "reps" && by === "creation") query.set("by", "creation");
  return `#/reports?${query}`;
}

/**
 * The form: presets, From, To and Show. draft: {from, to, error: {field, message} | null};
 * on: {input(field, value), submit(), preset(id)}; current: the preset shown, or "".
 */
export function periodForm(draft, current, on, { busy = false } = {}) {
  const error = draft.error;
  const input = (field, label) => html`<div class="field report-date">
    <label for="report-${field}">${label}</label>
    <input id="report-${field}" name=${field} type="date" .value=${draft[field]}
      aria-invalid=${error?.field === field ? "true" : "false"}
      aria-describedby=${error?.field === field ? "report-period-error" : nothing}
      @input=${(e) => on.input(field, e.target.value)} />
  </div>`;
  return html`<div class="report-period">
    <div class="segmented" role="group" aria-label="Quick periods" data-testid="presets">
      ${PRESETS.map(
        (p) => html`<button type="button" class="segment" data-preset=${p.id}
          aria-pressed=${p.id === current ? "true" : "false"} @click=${() => on.preset(p.id)}>${p.label}</button>`,
      )}
    </div>
    <form class="report-dates" data-testid="period" novalidate aria-label="Period"
      @submit=${(e) => {
        e.preventDefault();
        on.submit();
      }}>
      ${input("from", "From")} ${input("to", "To")}
      <button type="submit" class="button" aria-busy=${busy ? "true" : "false"}>Show</button>
      ${error
        ? html`<p class="cd-error report-period-error" id="report-period-error" role="alert" data-testid="period-error">${error.message}</p>`
        : nothing}
    </form>
  </div>`;
}
