// The calendar of calls: day, week (default) and month, in the business time zone.
//
// Reads Firestore `bookings` directly, only for the range on screen, and live
// (onSnapshot), so a call booked on the site appears without a reload:
//   owner: bookings where start in [from, to) orderBy start
//   rep:   the same with where("ownerUid", "==", uid) first (the rules refuse anything
//          else; the (ownerUid, start) index serves it)
// Calls are placed by their wall clock in the business zone (config.businessTimeZone),
// never the browser's: a DST day is 23 or 25 hours long and a call at 10:00 stays at
// 10:00 on either side of the switch. Cancelled calls are shown struck through, or
// hidden with the "Show cancelled" toggle (remembered in this browser).
//
// Route: #/calendar[/<day|week|month>[/<YYYY-MM-DD>]]. The view reads its own sub-path
// on every hashchange (main.js keeps it mounted), so the back button walks the weeks.
// A call whose Google Calendar copy failed carries a "!" and one not there yet a "…";
// above the grid, the upcoming ones on screen are listed with Google's error and, for a
// failed one, "Try again" (POST /booking/<id>/sync).
//
// Loaded lazily (its own chunk); the New meeting dialog is a further chunk.
import { collection, onSnapshot, orderBy, query, Timestamp, where } from "firebase/firestore";
import { html, nothing, render } from "lit-html";
import { bookingApi, calendarProblem, calendarProblemText, syncOutcome } from "../bookings-api.js";
import { formatDateTime, formatTime, toDate } from "../format.js";
import {
  addDays,
  addMonths,
  dateIn,
  daysBetween,
  formatCivil,
  isoDate,
  minuteOfDay,
  parseIsoDate,
  repeatedWallClock,
  sameDate,
  startOfDay,
  startOfWeek,
  todayIn,
  weekdayIndex,
} from "../zoned.js";
import { error as errorState, firestoreErrorMessage } from "./states.js";

export const VIEWS = ["day", "week", "month"];
const HOUR_PX = 48;
const MIN_EVENT_MINUTES = 20; // a 5-minute call still gets a readable block
const MONTH_SHOWN = 3; // calls listed in a month cell before "+n more"
const VIEW_KEY = "hearth:calendarView";
const CANCELLED_KEY = "hearth:calendarShowCancelled";

/** {view, date (civil or null)} from "#/calendar/week/2026-03-23". */
export function parseCalendarHash(hash) {
  const sub = String(hash || "").replace(/^#\/?calendar\/?/, "");
  const [view, date] = sub.split("/");
  return { view: VIEWS.includes(view) ? view : null, date: parseIsoDate(date) };
}

/** The civil dates on screen: {first, count}. A month shows whole weeks, Monday first. */
export function visibleDays(view, anchor) {
  if (view === "day") return { first: anchor, count: 1 };
  if (view === "week") return { first: startOfWeek(anchor), count: 7 };
  const firstOfMonth = { year: anchor.year, month: anchor.month, day: 1 };
  const lastOfMonth = addDays(addMonths(anchor, 1), -1);
  const first = startOfWeek(firstOfMonth);
  const last = addDays(startOfWeek(lastOfMonth), 6);
  return { first, count: daysBetween(first, last) + 1 };
}

/** The anchor one step back or forward. */
export function step(view, anchor, direction) {
  if (view === "day") return addDays(anchor, direction);
  if (view === "week") return addDays(anchor, 7 * direction);
  return addMonths(anchor, direction);
}

/** A booking document as the calendar draws it; null when it has no usable start. */
export function callOf(id, data, timeZone) {
  const start = toDate(data.start);
  if (!start) return null;
  let end = toDate(data.end);
  if (!end || end <= start) {
    const minutes = Number(data.minutes) > 0 ? Number(data.minutes) : 30;
    end = new Date(start.getTime() + minutes * 60000);
  }
  const minute = minuteOfDay(start, timeZone);
  const duration = Math.round((end - start) / 60000);
  return {
    id,
    key: typeof data.customerKey === "string" && data.customerKey ? data.customerKey : null,
    name: text(data.customerName) || text(data.customerEmail) || text(data.customerKey) || "A customer",
    type: text(data.typeLabel) || text(data.type),
    status: text(data.status) || "confirmed",
    cancelled: data.status === "cancelled",
    videoLink: text(data.videoLink),
    // Google Calendar's copy, when it needs attention: {state, error, cancelled} or null.
    problem: calendarProblem(data),
    start,
    end,
    date: dateIn(start, timeZone),
    minute,
    // Where the block ends on the grid: its own day at most.
    endMinute: Math.min(24 * 60, minute + Math.max(duration, MIN_EVENT_MINUTES)),
  };
}

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

function text(value) {
  return typeof value === "string" ? value.trim() : "";
}

function titleOf(view, anchor, first, count) {
  if (view === "day") return formatCivil(anchor, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
  if (view === "month") return formatCivil(anchor, { month: "long", year: "numeric" });
  const last = addDays(first, count - 1);
  if (first.year !== last.year) {
    return `${formatCivil(first, { day: "numeric", month: "short", year: "numeric" })} – ${formatCivil(last, { day: "numeric", month: "short", year: "numeric" })}`;
  }
  if (first.month !== last.month) {
    return `${formatCivil(first, { day: "numeric", month: "short" })} – ${formatCivil(last, { day: "numeric", month: "short", year: "numeric" })}`;
  }
  return `${first.day}–${formatCivil(last, { day: "numeric", month: "short", year: "numeric" })}`;
}

function readSetting(key, fallback) {
  try {
    return localStorage.getItem(key) ?? fallback;
  } catch {
    return fallback;
  }
}

function writeSetting(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Private mode without storage: the choice lasts for this visit.
  }
}

function zoneName(date, timeZone) {
  try {
    const part = new Intl.DateTimeFormat("en-GB", { timeZone, timeZoneName: "short" })
      .formatToParts(date)
      .find((p) => p.type === "timeZoneName");
    return part ? part.value : "";
  } catch {
    return "";
  }
}

/** Only http(s) links become links: a "javascript:" URL from the database must never run. */
function safeUrl(value) {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

export function renderCalendar(container, ctx) {
  const { db, session, config } = ctx;
  const timeZone = config.businessTimeZone;
  const s = {
    view: "week",
    anchor: todayIn(timeZone),
    dated: false, // the hash names a date (otherwise: today, whenever it is)
    showCancelled: readSetting(CANCELLED_KEY, "1") === "1",
    status: "loading", // loading | ready | error
    error: null,
    calls: [],
    message: "",
    now: new Date(),
    syncing: null, // id whose calendar copy is being tried again
    synced: {}, // id -> {ok, message} after "Try again"
  };
  let unsubscribe = () => {};
  let subscribed = "";
  let generation = 0;
  let disposed = false;

  // --- the range and its query -----------------------------------------------------

  function readHash() {
    const asked = parseCalendarHash(location.hash);
    s.view = asked.view || (VIEWS.includes(readSetting(VIEW_KEY, "")) ? readSetting(VIEW_KEY, "") : "week");
    s.dated = Boolean(asked.date);
    s.anchor = asked.date || todayIn(timeZone);
    if (asked.view) writeSetting(VIEW_KEY, asked.view);
  }

  function range() {
    const { first, count } = visibleDays(s.view, s.anchor);
    return { first, count, from: startOfDay(first, timeZone), to: startOfDay(addDays(first, count), timeZone) };
  }

  function subscribe() {
    const { from, to } = range();
    const key = `${from.getTime()}|${to.getTime()}`;
    if (key === subscribed) return;
    subscribed = key;
    s.synced = {};
    unsubscribe();
    const mine = ++generation;
    s.status = "loading";
    s.error = null;
    s.calls = [];
    const filters = [where("start", ">=", Timestamp.fromDate(from)), where("start", "<", Timestamp.fromDate(to))];
    if (session.role !== "owner") filters.unshift(where("ownerUid", "==", session.uid));
    unsubscribe = onSnapshot(
      query(collection(db, "bookings"), ...filters, orderBy("start")),
      (snap) => {
        if (mine !== generation || disposed) return;
        s.calls = snap.docs.map((d) => callOf(d.id, d.data(), timeZone)).filter(Boolean);
        s.status = "ready";
        update();
      },
      (err) => {
        if (mine !== generation || disposed) return;
        console.error(err);
        s.status = "error";
        s.error = err;
        update();
      },
    );
  }

  function retry() {
    subscribed = "";
    subscribe();
    update();
  }

  // --- navigation --------------------------------------------------------------------

  function go(view, date) {
    const hash = `#/calendar/${view}${date ? `/${isoDate(date)}` : ""}`;
    if (location.hash !== hash) location.hash = hash;
  }

  const prev = () => go(s.view, step(s.view, s.anchor, -1));
  const next = () => go(s.view, step(s.view, s.anchor, 1));
  const today = () => go(s.view, null);
  const switchTo = (view) => go(view, s.dated ? s.anchor : null);
  const openDay = (date) => go("day", date);

  function onHashChange() {
    if (disposed || !/^#\/?calendar(\/|$)/.test(location.hash)) return;
    readHash();
    subscribe();
    update();
  }

  function onKeydown(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    const target = event.target;
    if (target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    if (document.querySelector("dialog[open]")) return;
    if (event.key === "ArrowLeft") prev();
    else if (event.key === "ArrowRight") next();
    else if (event.key === "t") today();
    else return;
    event.preventDefault();
  }

  function toggleCancelled(event) {
    s.showCancelled = event.currentTarget.checked;
    writeSetting(CANCELLED_KEY, s.showCancelled ? "1" : "0");
    update();
  }

  let opening = false; // a second click while the form loads must not open it twice

  async function newMeeting() {
    if (opening) return;
    opening = true;
    s.message = "";
    try {
      const { openNewMeeting } = await import("./meeting.js");
      const day = s.view === "day" ? s.anchor : null;
      openNewMeeting(ctx, { day });
    } catch (err) {
      console.error(err);
      s.message = "The New meeting form could not be loaded. Reload the page and try again.";
      update();
    } finally {
      opening = false;
    }
  }

  async function syncAgain(call) {
    if (s.syncing) return;
    s.syncing = call.id;
    delete s.synced[call.id];
    update();
    const res = await bookingApi(ctx.api).sync(call.id);
    s.syncing = null;
    if (disposed) return;
    s.synced[call.id] = { ...syncOutcome(res), label: `${formatDateTime(call.start, timeZone)} · ${call.name}` };
    update();
  }

  // --- rendering ---------------------------------------------------------------------

  function update() {
    if (disposed) return;
    s.now = new Date();
    render(template(), container);
  }

  function shownCalls() {
    return s.showCancelled ? s.calls : s.calls.filter((c) => !c.cancelled);
  }

  function template() {
    const { first, count } = range();
    const calls = shownCalls();
    const cancelled = s.calls.filter((c) => c.cancelled).length;
    const noun = s.view === "day" ? "day" : s.view === "week" ? "week" : "month";
    const inView = s.view === "month" ? calls.filter((c) => c.date.month === s.anchor.month) : calls;
    return html`${styles}
      <section class="cal" data-testid="calendar" data-view=${s.view} data-first=${isoDate(first)} data-days=${count}>
        <header class="cal-head">
          <h1 class="page-title cal-title" data-testid="cal-title">${titleOf(s.view, s.anchor, first, count)}</h1>
          <div class="cal-controls">
            <div class="cal-nav" role="group" aria-label="Move">
              <button type="button" class="button" data-testid="cal-prev" aria-label=${`Previous ${noun}`} title=${`Previous ${noun} (←)`} @click=${prev}>‹</button>
              <button type="button" class="button" data-testid="cal-today" title="Today (t)" @click=${today}>Today</button>
              <button type="button" class="button" data-testid="cal-next" aria-label=${`Next ${noun}`} title=${`Next ${noun} (→)`} @click=${next}>›</button>
            </div>
            <div class="cal-views" role="group" aria-label="View">
              ${VIEWS.map(
                (view) => html`<button type="button" class="button cal-view-button" data-testid=${`cal-view-${view}`}
                  aria-pressed=${s.view === view ? "true" : "false"} @click=${() => switchTo(view)}>${view[0].toUpperCase() + view.slice(1)}</button>`,
              )}
            </div>
            <button type="button" class="button button-primary" data-testid="new-meeting" @click=${newMeeting}>New meeting</button>
          </div>
        </header>
        <div class="cal-bar">
          <span class="muted cal-zone" data-testid="cal-zone">Times in ${timeZone}</span>
          ${session.role === "owner"
            ? html`<a class="cal-settings" href="#/settings/booking" data-testid="cal-settings">Working hours and booking links</a>`
            : nothing}
          <span class="cal-count" data-testid="cal-status" role="status" aria-live="polite">
            ${s.status === "loading"
              ? "Loading calls…"
              : s.status === "ready"
                ? `${inView.length ? inView.length : "No"} call${inView.length === 1 ? "" : "s"} this ${noun}`
                : ""}
          </span>
          <label class="cal-check">
            <input type="checkbox" data-testid="cal-show-cancelled" .checked=${s.showCancelled} @change=${toggleCancelled} />
            <span>Show cancelled${cancelled ? ` (${cancelled})` : ""}</span>
          </label>
        </div>
        ${s.message ? html`<p class="status-line" role="alert" data-testid="cal-message">${s.message}</p>` : nothing}
        ${s.status === "ready" ? syncList(calls) : nothing}
        ${s.status === "error"
          ? errorState({ title: "The calls could not be loaded", message: firestoreErrorMessage(s.error), retry })
          : s.view === "month"
            ? monthGrid(first, count, calls)
            : timeGrid(first, count, calls)}
      </section>`;
  }

  function timeGrid(first, count, calls) {
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
    const todayDate = todayIn(timeZone, s.now);
    const nowMinute = minuteOfDay(s.now, timeZone);
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
          <button type="button" class="cal-dayhead" data-testid="cal-dayhead" title="Open this day" @click=${() => openDay(day)}>
            <span class="cal-wd">${formatCivil(day, { weekday: "short" })}</span>
            <span class="cal-dn">${day.day}</span>
          </button>
          <div class="cal-body">
            ${dayCalls.map((c) => timedCall(c, startHour))}
            ${isToday && nowMinute >= startHour * 60 && nowMinute < endHour * 60
              ? html`<div class="cal-now" style="top: ${((nowMinute - startHour * 60) * HOUR_PX) / 60}px" aria-hidden="true"></div>`
              : nothing}
          </div>
          ${dayCalls.length ? nothing : html`<p class="cal-col-empty muted">No calls</p>`}
        </section>`;
      })}
    </div>`;
  }

  /** The upcoming calls on screen whose calendar copy needs attention, failed first. */
  function syncList(calls) {
    const now = s.now.getTime();
    const listed = calls
      .filter((c) => c.problem && c.end.getTime() > now)
      .sort((a, b) => (a.problem.state === b.problem.state ? a.start - b.start : a.problem.state === "failed" ? -1 : 1));
    const answered = Object.keys(s.synced).filter((id) => !listed.some((c) => c.id === id));
    if (!listed.length && !answered.length) return nothing;
    const failed = listed.filter((c) => c.problem.state === "failed").length;
    return html`<section class="cal-sync-list ${failed ? "" : "cal-sync-calm"}" data-testid="cal-sync-list" aria-label="Calls not in Google Calendar">
      ${listed.length
        ? html`<h2 class="cal-sync-head">
              ${listed.length === 1 ? "1 call" : `${listed.length} calls`} on screen ${listed.length === 1 ? "is" : "are"} not in Google Calendar
              ${failed ? html`<span class="cal-sync-count">(${failed} refused)</span>` : nothing}
            </h2>
            <ul class="cal-sync-items">
              ${listed.map((call) => syncItem(call))}
            </ul>`
        : nothing}
      ${answered.map((id) => syncAnswer(id, true))}
    </section>`;
  }

  function syncItem(call) {
    const busy = s.syncing === call.id;
    return html`<li class="cal-sync-item cal-sync-${call.problem.state}" data-testid="cal-sync-item" data-id=${call.id}
      data-state=${call.problem.state}>
      <div class="cal-sync-what">
        <span class="cal-sync-when">${formatDateTime(call.start, timeZone)}</span>
        ${call.key
          ? html`<a href=${`#/customers/${encodeURIComponent(call.key)}`} class="cal-sync-name">${call.name}</a>`
          : html`<span class="cal-sync-name">${call.name}</span>`}
        <span class="cal-sync-state">${calendarProblemText(call.problem)}</span>
        ${call.problem.error ? html`<span class="cal-sync-error" data-testid="cal-sync-error">${call.problem.error}</span>` : nothing}
      </div>
      ${call.problem.state === "failed"
        ? html`<button type="button" class="button cal-sync-retry" data-testid="cal-sync-retry" ?disabled=${busy}
            @click=${() => syncAgain(call)}>${busy ? "Trying…" : "Try again"}</button>`
        : nothing}
      ${syncAnswer(call.id)}
    </li>`;
  }

  function syncAnswer(id, named = false) {
    const outcome = s.synced[id];
    if (!outcome) return nothing;
    return html`<p class="cal-sync-answer ${outcome.ok ? "" : "cal-sync-bad"}" data-testid="cal-sync-answer" data-id=${id}
      role=${outcome.ok ? "status" : "alert"}>${named ? html`<strong>${outcome.label}</strong>: ` : nothing}${outcome.message}</p>`;
  }

  /** The marker on a call's block: "!" refused, "…" not there yet. */
  function syncMark(call) {
    if (!call.problem) return nothing;
    const label = `${calendarProblemText(call.problem)}${call.problem.error ? ` ${call.problem.error}` : ""}`;
    return html`<span class="cal-sync-mark cal-sync-mark-${call.problem.state}" data-testid="cal-sync" data-state=${call.problem.state}
      title=${label} aria-label=${label}>${call.problem.state === "failed" ? "!" : "…"}</span>`;
  }

  function callTime(call) {
    // On a fall-back day the same wall-clock time happens twice: name the offset.
    const zone = repeatedWallClock(call.start, timeZone) ? ` ${zoneName(call.start, timeZone)}` : "";
    return `${formatTime(call.start, timeZone)}${zone}`;
  }

  function callTitle(call) {
    const sync = call.problem ? ` · ${calendarProblemText(call.problem)}` : "";
    return `${formatDateTime(call.start, timeZone)}–${formatTime(call.end, timeZone)} ${zoneName(call.start, timeZone)} · ${call.name}${call.type ? ` · ${call.type}` : ""}${call.cancelled ? " · cancelled" : ""}${sync}`;
  }

  function callLink(call, body) {
    return call.key
      ? html`<a class="cal-open" data-testid="cal-open" href=${`#/customers/${encodeURIComponent(call.key)}`} title=${callTitle(call)}>${body}</a>`
      : html`<span class="cal-open" title=${callTitle(call)}>${body}</span>`;
  }

  function timedCall(call, startHour) {
    const top = ((call.minute - startHour * 60) * HOUR_PX) / 60;
    const height = Math.max(((call.endMinute - call.minute) * HOUR_PX) / 60, 18);
    const video = s.view === "day" && !call.cancelled ? safeUrl(call.videoLink) : null;
    return html`<div class="cal-event ${call.cancelled ? "cal-cancelled" : ""} ${height < 40 ? "cal-short" : ""} ${call.problem ? `cal-has-sync-${call.problem.state}` : ""}"
      data-testid="cal-event" data-id=${call.id} data-status=${call.status} data-date=${isoDate(call.date)}
      data-time=${formatTime(call.start, timeZone)}
      style="top: ${top}px; height: ${height}px; --lane: ${call.lane}; --lanes: ${call.lanes}">
      ${callLink(
        call,
        html`${syncMark(call)}<span class="cal-time" data-testid="cal-time">${callTime(call)}</span>
          <span class="cal-name" data-testid="cal-name">${call.name}</span>
          ${call.type ? html`<span class="cal-type" data-testid="cal-type">${call.type}</span>` : nothing}
          ${call.cancelled ? html`<span class="cal-flag">cancelled</span>` : nothing}`,
      )}
      ${video
        ? html`<a class="cal-join" data-testid="cal-join" href=${video} target="_blank" rel="noopener noreferrer">Join</a>`
        : nothing}
    </div>`;
  }

  function monthGrid(first, count, calls) {
    const days = Array.from({ length: count }, (_, i) => addDays(first, i));
    const byDay = new Map(days.map((d) => [isoDate(d), []]));
    for (const call of calls) byDay.get(isoDate(call.date))?.push(call);
    const todayDate = todayIn(timeZone, s.now);
    return html`<div class="cal-month" data-testid="cal-grid">
      ${days.slice(0, 7).map((d) => html`<div class="cal-mhead" aria-hidden="true">${formatCivil(d, { weekday: "short" })}</div>`)}
      ${days.map((day) => {
        const dayCalls = (byDay.get(isoDate(day)) || []).sort((a, b) => a.start - b.start);
        const shown = dayCalls.slice(0, dayCalls.length > MONTH_SHOWN + 1 ? MONTH_SHOWN : MONTH_SHOWN + 1);
        const more = dayCalls.length - shown.length;
        const outside = day.month !== s.anchor.month;
        return html`<section class="cal-mday ${outside ? "cal-outside" : ""} ${sameDate(day, todayDate) ? "cal-today" : ""}"
          data-testid="cal-day" data-date=${isoDate(day)} aria-label=${formatCivil(day, { weekday: "long", day: "numeric", month: "long" })}>
          <button type="button" class="cal-mnum" data-testid="cal-dayhead" title="Open this day" @click=${() => openDay(day)}>${day.day}</button>
          ${dayCalls.length ? html`<span class="cal-mcount" aria-hidden="true">${dayCalls.length}</span>` : nothing}
          <ul class="cal-mlist">
            ${shown.map(
              (call) => html`<li class="cal-mevent ${call.cancelled ? "cal-cancelled" : ""}" data-testid="cal-event" data-id=${call.id}
                data-status=${call.status} data-date=${isoDate(call.date)} data-time=${formatTime(call.start, timeZone)}>
                ${callLink(
                  call,
                  html`${syncMark(call)}<span class="cal-time" data-testid="cal-time">${callTime(call)}</span>
                    <span class="cal-name" data-testid="cal-name">${call.name}</span>
                    ${call.type ? html`<span class="cal-type" data-testid="cal-type">${call.type}</span>` : nothing}`,
                )}
              </li>`,
            )}
          </ul>
          ${more > 0
            ? html`<button type="button" class="cal-more" data-testid="cal-more" @click=${() => openDay(day)}>+${more} more</button>`
            : nothing}
        </section>`;
      })}
    </div>`;
  }

  // --- lifecycle ---------------------------------------------------------------------

  readHash();
  document.title = "Calendar · Hearth";
  window.addEventListener("hashchange", onHashChange);
  document.addEventListener("keydown", onKeydown);
  // "Now" moves, and at midnight "today" (when no date is asked for) is another day.
  const tick = setInterval(() => {
    if (!s.dated && !sameDate(s.anchor, todayIn(timeZone))) {
      s.anchor = todayIn(timeZone);
      subscribe();
    }
    update();
  }, 60_000);
  subscribe();
  update();

  return () => {
    disposed = true;
    generation += 1;
    unsubscribe();
    clearInterval(tick);
    window.removeEventListener("hashchange", onHashChange);
    document.removeEventListener("keydown", onKeydown);
    render(nothing, container);
  };
}

// Scoped styles of this chunk (static, no bindings): the first screen's app.css does not
// carry them. Mobile first: below 640 px the day columns stack into an agenda.
const styles = html`<style>
  .cal { --cal-line: var(--line, #e3e6eb); --cal-event: #e8f0fc; --cal-event-ink: #123a70; --cal-event-bar: var(--production, #1f6fd1); }
  .cal-head { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem 1rem; margin-bottom: 0.5rem; }
  .cal-title { font-size: 1.3rem; }
  .cal-controls { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; }
  .cal-nav, .cal-views { display: inline-flex; }
  .cal-nav .button, .cal-views .button { border-radius: 0; margin-left: -1px; min-width: 38px; }
  .cal-nav .button:first-child, .cal-views .button:first-child { border-radius: 8px 0 0 8px; margin-left: 0; }
  .cal-nav .button:last-child, .cal-views .button:last-child { border-radius: 0 8px 8px 0; }
  .cal-views .button[aria-pressed="true"] { background: var(--top, #1f2a37); border-color: var(--top, #1f2a37); color: #fff; }
  .cal-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 0.3rem 1rem; margin-bottom: 0.6rem; font-size: 0.9rem; }
  .cal-count { font-variant-numeric: tabular-nums; }
  .cal-settings { font-weight: 600; color: var(--production, #1f6fd1); }
  .cal-check { display: inline-flex; align-items: center; gap: 0.35rem; margin-left: auto; cursor: pointer; }
  .cal-check input { width: 18px; height: 18px; margin: 0; }

  .cal-grid { display: grid; grid-template-columns: 3.2rem repeat(var(--cols), minmax(0, 1fr)); background: var(--surface, #fff); border: 1px solid var(--cal-line); border-radius: 12px; box-shadow: var(--shadow, none); }
  .cal-gutter, .cal-col { min-width: 0; border-left: 1px solid var(--cal-line); }
  .cal-gutter { border-left: 0; }
  .cal-dayhead { display: flex; gap: 0.35rem; align-items: baseline; justify-content: center; width: 100%; height: 44px; padding: 0.4rem; border: 0; border-bottom: 1px solid var(--cal-line); background: var(--surface, #fff); cursor: pointer; position: sticky; top: 54px; z-index: 2; border-radius: 0; }
  .cal-dayhead:hover { background: #f5f7fa; }
  .cal-spacer { cursor: default; }
  .cal-col:last-child .cal-dayhead { border-top-right-radius: 12px; }
  .cal-wd { color: var(--muted, #6b7686); font-size: 0.85rem; }
  .cal-dn { font-weight: 700; font-size: 1.05rem; }
  .cal-today .cal-dn { background: var(--accent, #c2410c); color: #fff; border-radius: 999px; padding: 0 0.45rem; }
  .cal-body { position: relative; height: var(--body-h); background-image: repeating-linear-gradient(to bottom, var(--cal-line) 0 1px, transparent 1px var(--hour-px)); }
  .cal-gutter .cal-body { background: none; }
  .cal-weekend .cal-body { background-color: #fafbfc; }
  .cal-hour { position: absolute; right: 0.4rem; transform: translateY(-0.55em); font-size: 0.75rem; color: var(--muted, #6b7686); font-variant-numeric: tabular-nums; }
  .cal-hour:first-child { transform: none; }
  .cal-col-empty { display: none; }
  .cal-event { position: absolute; left: calc(var(--lane) * 100% / var(--lanes) + 2px); width: calc(100% / var(--lanes) - 4px); overflow: hidden; border-radius: 6px; background: var(--cal-event); color: var(--cal-event-ink); border-left: 3px solid var(--cal-event-bar); font-size: 0.8rem; line-height: 1.25; z-index: 1; }
  .cal-event:hover { z-index: 3; box-shadow: var(--shadow-pop, 0 4px 12px rgba(0,0,0,0.15)); }
  .cal-open { display: block; height: 100%; padding: 2px 5px; text-decoration: none; color: inherit; overflow: hidden; }
  .cal-event .cal-time { font-weight: 700; font-variant-numeric: tabular-nums; margin-right: 0.3rem; }
  .cal-name { font-weight: 600; overflow-wrap: anywhere; }
  .cal-event .cal-type { display: block; color: #3d5a80; }
  .cal-short .cal-open { white-space: nowrap; text-overflow: ellipsis; }
  .cal-short .cal-type { display: inline; margin-left: 0.3rem; }
  .cal-cancelled { background: #f2f3f5; color: #6b7686; border-left-color: #b5bcc6; }
  .cal-cancelled .cal-time, .cal-cancelled .cal-name, .cal-cancelled .cal-type { text-decoration: line-through; }
  .cal-flag { margin-left: 0.3rem; font-size: 0.72rem; text-transform: uppercase; letter-spacing: 0.03em; }
  .cal-join { position: absolute; right: 4px; top: 3px; padding: 1px 8px; border-radius: 6px; background: var(--production, #1f6fd1); color: #fff; font-weight: 600; font-size: 0.78rem; text-decoration: none; }
  .cal-sync-mark { float: right; display: inline-grid; place-items: center; width: 16px; height: 16px; margin: 1px 0 0 3px; border-radius: 50%; font-size: 0.7rem; font-weight: 800; line-height: 1; font-style: normal; }
  .cal-sync-mark-failed { background: var(--danger, #b42318); color: #fff; }
  .cal-sync-mark-pending { background: #fedf89; color: #7a4a00; }
  .cal-has-sync-failed { border-left-color: var(--danger, #b42318); }
  .cal-has-sync-pending { border-left-color: #f79009; }
  .cal-sync-list { margin: 0 0 0.75rem; padding: 0.6rem 0.75rem; border-radius: 10px; background: #fef3f2; border: 1px solid #fecdca; color: #7a271a; }
  .cal-sync-calm { background: #fffaeb; border-color: #fedf89; color: #7a4a00; }
  .cal-sync-calm .cal-sync-item { border-top-color: #fedf89; }
  .cal-sync-head { margin: 0 0 0.35rem; font-size: 0.95rem; }
  .cal-sync-count { font-weight: 500; }
  .cal-sync-items { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.4rem; }
  .cal-sync-item { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.3rem 0.75rem; padding-top: 0.4rem; border-top: 1px solid #fecdca; }
  .cal-sync-item:first-child { border-top: 0; padding-top: 0; }
  .cal-sync-what { min-width: 0; flex: 1 1 16rem; display: flex; flex-wrap: wrap; gap: 0.1rem 0.5rem; align-items: baseline; overflow-wrap: anywhere; }
  .cal-sync-when { font-weight: 700; font-variant-numeric: tabular-nums; }
  .cal-sync-name { font-weight: 600; color: inherit; }
  .cal-sync-error { flex-basis: 100%; font-family: var(--mono, monospace); font-size: 0.8rem; white-space: pre-wrap; }
  .cal-sync-pending .cal-sync-state { color: #7a4a00; }
  .cal-sync-retry { min-height: 34px; }
  .cal-sync-answer { flex-basis: 100%; margin: 0.2rem 0 0; font-size: 0.88rem; color: #05603a; }
  .cal-sync-bad { color: var(--danger, #b42318); }
  .cal-now { position: absolute; left: 0; right: 0; height: 2px; background: var(--danger, #b42318); z-index: 2; pointer-events: none; }
  .cal-now::before { content: ""; position: absolute; left: -4px; top: -3px; width: 8px; height: 8px; border-radius: 50%; background: inherit; }

  .cal-month { display: grid; grid-template-columns: repeat(7, minmax(0, 1fr)); background: var(--surface, #fff); border: 1px solid var(--cal-line); border-radius: 12px; overflow: hidden; box-shadow: var(--shadow, none); }
  .cal-mhead { padding: 0.4rem; text-align: center; font-size: 0.8rem; color: var(--muted, #6b7686); border-bottom: 1px solid var(--cal-line); }
  .cal-mday { position: relative; min-height: 104px; min-width: 0; padding: 0.25rem; border-top: 1px solid var(--cal-line); border-left: 1px solid var(--cal-line); }
  .cal-mday:nth-of-type(7n + 1) { border-left: 0; }
  .cal-outside { background: #fafbfc; }
  .cal-outside .cal-mnum { color: var(--muted, #6b7686); }
  .cal-mnum { border: 0; background: none; font-weight: 700; padding: 0.1rem 0.4rem; border-radius: 999px; cursor: pointer; }
  .cal-mnum:hover { background: #eef0f3; }
  .cal-today .cal-mnum { background: var(--accent, #c2410c); color: #fff; }
  .cal-mcount { display: none; }
  .cal-mlist { list-style: none; margin: 0.15rem 0 0; padding: 0; display: grid; gap: 2px; }
  .cal-mevent { min-width: 0; border-radius: 5px; background: var(--cal-event); color: var(--cal-event-ink); font-size: 0.78rem; }
  .cal-mevent .cal-open { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; padding: 1px 4px; }
  .cal-mevent .cal-time { font-weight: 700; font-variant-numeric: tabular-nums; }
  .cal-mevent .cal-type { color: #3d5a80; margin-left: 0.2rem; }
  .cal-more { border: 0; background: none; color: var(--production, #1f6fd1); font-size: 0.78rem; font-weight: 600; padding: 2px 4px; cursor: pointer; }

  @media (max-width: 639px) {
    .cal-controls { width: 100%; justify-content: space-between; }
    .cal-check { margin-left: 0; }
    .cal-grid { display: block; }
    .cal-gutter { display: none; }
    .cal-col { border-left: 0; border-top: 1px solid var(--cal-line); }
    .cal-col:first-of-type { border-top: 0; }
    .cal-dayhead { position: static; justify-content: flex-start; height: auto; border-bottom: 0; }
    .cal-body { height: auto; background: none; padding: 0 0.5rem; }
    .cal-col-empty { display: block; margin: 0 0 0.5rem; padding: 0 0.9rem; font-size: 0.85rem; }
    .cal-now { display: none; }
    .cal-event { position: relative; top: auto !important; left: auto; width: auto; height: auto !important; margin-bottom: 0.4rem; }
    .cal-open { padding: 0.35rem 0.5rem; white-space: normal; }
    .cal-event .cal-type { display: inline; margin-left: 0.3rem; }
    .cal-mday { min-height: 56px; padding: 0.15rem; }
    .cal-mlist, .cal-more { display: none; }
    .cal-mcount { display: block; margin: 0.1rem auto 0; width: 1.4rem; text-align: center; border-radius: 999px; background: var(--cal-event); color: var(--cal-event-ink); font-size: 0.75rem; font-weight: 700; }
    .cal-mnum { display: block; margin: 0 auto; }
  }
</style>`;
