// The month view: whole weeks, Monday first, a few calls listed in each day's cell and
// "+n more" opening that day. On a phone a cell shows only its count (styles.css).
import { html, nothing } from "lit-html";
import { formatTime } from "../../lib/format.js";
import { addDays, formatCivil, isoDate, sameDate, todayIn } from "../../lib/zoned.js";
import { callLink, callSummary } from "./events.js";

const MONTH_SHOWN = 3; // calls listed in a month cell before "+n more"

/** cal: {anchor, now, timeZone, openDay(date)}; the days first.. (count of them) and their calls. */
export function monthGrid(cal, first, count, calls) {
  const { timeZone } = cal;
  const days = Array.from({ length: count }, (_, i) => addDays(first, i));
  const byDay = new Map(days.map((d) => [isoDate(d), []]));
  for (const call of calls) byDay.get(isoDate(call.date))?.push(call);
  const todayDate = todayIn(timeZone, cal.now);
  return html`<div class="cal-month" data-testid="cal-grid">
    ${days.slice(0, 7).map((d) => html`<div class="cal-mhead" aria-hidden="true">${formatCivil(d, { weekday: "short" })}</div>`)}
    ${days.map((day) => {
      const dayCalls = (byDay.get(isoDate(day)) || []).sort((a, b) => a.start - b.start);
      const shown = dayCalls.slice(0, dayCalls.length > MONTH_SHOWN + 1 ? MONTH_SHOWN : MONTH_SHOWN + 1);
      const more = dayCalls.length - shown.length;
      const outside = day.month !== cal.anchor.month;
      return html`<section class="cal-mday ${outside ? "cal-outside" : ""} ${sameDate(day, todayDate) ? "cal-today" : ""}"
        data-testid="cal-day" data-date=${isoDate(day)} aria-label=${formatCivil(day, { weekday: "long", day: "numeric", month: "long" })}>
        <button type="button" class="cal-mnum" data-testid="cal-dayhead" title="Open this day" @click=${() => cal.openDay(day)}>${day.day}</button>
        ${dayCalls.length ? html`<span class="cal-mcount" aria-hidden="true">${dayCalls.length}</span>` : nothing}
        <ul class="cal-mlist">
          ${shown.map(
            (call) => html`<li class="cal-mevent ${call.cancelled ? "cal-cancelled" : ""}" data-testid="cal-event" data-id=${call.id}
              data-status=${call.status} data-date=${isoDate(call.date)} data-time=${formatTime(call.start, timeZone)}>
              ${callLink(call, callSummary(call, timeZone), timeZone)}
            </li>`,
          )}
        </ul>
        ${more > 0
          ? html`<button type="button" class="cal-more" data-testid="cal-more" @click=${() => cal.openDay(day)}>+${more} more</button>`
          : nothing}
      </section>`;
    })}
  </div>`;
}
