// The day and week views: one column per day over the hours, each call a block placed by
// its wall-clock minute in the business zone, overlapping calls side by side, and a line
// at "now" on today. Working hours (08–18) at least; earlier and later when a call is
// there. Below 640 px the columns stack into an agenda (styles.css).
import { html, nothing } from "lit-html";
import { formatTime } from "../../lib/format.js";
import { safeUrl } from "../../lib/urls.js";
import { addDays, formatCivil, isoDate, minuteOfDay, sameDate, todayIn, weekdayIndex } from "../../lib/zoned.js";
import { callLink, callSummary } from "./events.js";

const HOUR_PX = 48;

/** Side-by-side lanes for calls that overlap on one day: sets lane and lanes on each. */
export function layOut(calls) {
  const sorted = [...calls].sort((a, b) => a.minute - b.minute || a.start - b.start);
  let cluster = [];
  let clusterEnd = -1;
  let laneEnds = [];
  const close = () => {
    const lanes = laneEnds.length || 1;
    for (const call of cluster) call.lanes = lanes;
  };
  for (const call of sorted) {
    if (call.minute >= clusterEnd) {
      close();
      cluster = [];
      laneEnds = [];
    }
    let lane = laneEnds.findIndex((end) => end <= call.minute);
    if (lane === -1) {
      lane = laneEnds.length;
      laneEnds.push(call.endMinute);
    } else {
      laneEnds[lane] = call.endMinute;
    }
    call.lane = lane;
    cluster.push(call);
    clusterEnd = Math.max(clusterEnd, call.endMinute);
  }
  close();
  return sorted;
}

/** cal: {view, now, timeZone, openDay(date)}; the days first.. (count of them) and their calls. */
export function timeGrid(cal, first, count, calls) {
  const { timeZone } = cal;
  const days = Array.from({ length: count }, (_, i) => addDays(first, i));
  const byDay = new Map(days.map((d) => [isoDate(d), []]));
  for (const call of calls) byDay.get(isoDate(call.date))?.push(call);
  // Working hours at least; earlier and later when a call is there.
  let startHour = 8;
  let endHour = 18;
  for (const call of calls) {
    startHour = Math.min(startHour, Math.floor(call.minute / 60));
    endHour = Math.max(endHour, Math.ceil(call.endMinute / 60));
  }
  const hours = Array.from({ length: endHour - startHour }, (_, i) => startHour + i);
  const todayDate = todayIn(timeZone, cal.now);
  const nowMinute = minuteOfDay(cal.now, timeZone);
  return html`<div class="cal-grid" data-testid="cal-grid" style="--cols: ${count}; --body-h: ${hours.length * HOUR_PX}px; --hour-px: ${HOUR_PX}px">
    <div class="cal-gutter" aria-hidden="true">
      <div class="cal-dayhead cal-spacer"></div>
      <div class="cal-body">
        ${hours.map((h, i) => html`<span class="cal-hour" style="top: ${i * HOUR_PX}px">${String(h).padStart(2, "0")}:00</span>`)}
      </div>
    </div>
    ${days.map((day) => {
      const dayCalls = layOut(byDay.get(isoDate(day)) || []);
      const isToday = sameDate(day, todayDate);
      return html`<section class="cal-col ${isToday ? "cal-today" : ""} ${weekdayIndex(day) >= 5 ? "cal-weekend" : ""}"
        data-testid="cal-day" data-date=${isoDate(day)} aria-label=${formatCivil(day, { weekday: "long", day: "numeric", month: "long" })}>
        <button type="button" class="cal-dayhead" data-testid="cal-dayhead" title="Open this day" @click=${() => cal.openDay(day)}>
          <span class="cal-wd">${formatCivil(day, { weekday: "short" })}</span>
          <span class="cal-dn">${day.day}</span>
        </button>
        <div class="cal-body">
          ${dayCalls.map((c) => timedCall(cal, c, startHour))}
          ${isToday && nowMinute >= startHour * 60 && nowMinute < endHour * 60
            ? html`<div class="cal-now" style="top: ${((nowMinute - startHour * 60) * HOUR_PX) / 60}px" aria-hidden="true"></div>`
            : nothing}
        </div>
        ${dayCalls.length ? nothing : html`<p class="cal-col-empty muted">No calls</p>`}
      </section>`;
    })}
  </div>`;
}

function timedCall(cal, call, startHour) {
  const { timeZone } = cal;
  const top = ((call.minute - startHour * 60) * HOUR_PX) / 60;
  const height = Math.max(((call.endMinute - call.minute) * HOUR_PX) / 60, 18);
  const video = cal.view === "day" && !call.cancelled ? safeUrl(call.videoLink) : null;
  return html`<div class="cal-event ${call.cancelled ? "cal-cancelled" : ""} ${height < 40 ? "cal-short" : ""} ${call.problem ? `cal-has-sync-${call.problem.state}` : ""}"
    data-testid="cal-event" data-id=${call.id} data-status=${call.status} data-date=${isoDate(call.date)}
    data-time=${formatTime(call.start, timeZone)}
    style="top: ${top}px; height: ${height}px; --lane: ${call.lane}; --lanes: ${call.lanes}">
    ${callLink(
      call,
      html`${callSummary(call, timeZone)}
        ${call.cancelled ? html`<span class="cal-flag">cancelled</span>` : nothing}`,
      timeZone,
    )}
    ${video
      ? html`<a class="cal-join" data-testid="cal-join" href=${video} target="_blank" rel="noopener noreferrer">Join</a>`
      : nothing}
  </div>`;
}
