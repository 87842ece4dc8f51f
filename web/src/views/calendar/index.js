// The calendar of calls: day, week (default) and month, in the business time zone.
//
// Reads Firestore `bookings` (watchCallsBetween in data/firestore.js), only for the
// range on screen, and live, so a call booked on the site appears without a reload:
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
//
// This file is the screen (route, range, live query, navigation, header); the pieces
// are beside it: model.js (days and calls), time-grid.js (day, week), month-grid.js,
// events.js (one call's block), sync-list.js (calls not in Google Calendar).
import { html, nothing, render } from "lit-html";
import { syncRetries } from "../../data/bookings-api.js";
import { watchCallsBetween } from "../../data/firestore.js";
import { formatDateTime } from "../../lib/format.js";
import { listenWhileShown } from "../../lib/page-events.js";
import { readStored, writeStored } from "../../lib/stored.js";
import { addDays, isoDate, sameDate, startOfDay, todayIn } from "../../lib/zoned.js";
import { follow } from "../live.js";
import { error as errorState, firestoreErrorMessage } from "../states.js";
import { VIEWS, callOf, parseCalendarHash, step, titleOf, visibleDays } from "./model.js";
import { monthGrid } from "./month-grid.js";
import { syncList } from "./sync-list.js";
import { timeGrid } from "./time-grid.js";

const VIEW_KEY = "hearth:calendarView";
const CANCELLED_KEY = "hearth:calendarShowCancelled";

export function renderCalendar(container, ctx) {
  const { db, session, config } = ctx;
  const timeZone = config.businessTimeZone;
  const s = {
    view: "week",
    anchor: todayIn(timeZone),
    dated: false, // the hash names a date (otherwise: today, whenever it is)
    showCancelled: readStored(CANCELLED_KEY, "1") === "1",
    status: "loading", // loading | ready | error
    error: null,
    calls: [],
    message: "",
    now: new Date(),
  };
  let unsubscribe = () => {};
  let subscribed = "";
  let generation = 0;
  let disposed = false;
  const retries = syncRetries(ctx.api, { update, disposed: () => disposed }, (call) => ({
    label: `${formatDateTime(call.start, timeZone)} · ${call.name}`,
  }));

  // --- the range and its query -----------------------------------------------------

  function readHash() {
    const asked = parseCalendarHash(location.hash);
    s.view = asked.view || (VIEWS.includes(readStored(VIEW_KEY)) ? readStored(VIEW_KEY) : "week");
    s.dated = Boolean(asked.date);
    s.anchor = asked.date || todayIn(timeZone);
    if (asked.view) writeStored(VIEW_KEY, asked.view);
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
    retries.clear();
    unsubscribe();
    const mine = ++generation;
    s.status = "loading";
    s.error = null;
    s.calls = [];
    // The rules let a rep (and anyone but the owner) read only their own calls.
    const ownerUid = session.role !== "owner" ? session.uid : null;
    unsubscribe = follow(
      { update, disposed: () => mine !== generation || disposed },
      s,
      (onChange, onError) => watchCallsBetween(db, { start: from, end: to, ownerUid }, onChange, onError),
      (bookings) => {
        s.calls = bookings.map((b) => callOf(b.id, b, timeZone)).filter(Boolean);
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
    writeStored(CANCELLED_KEY, s.showCancelled ? "1" : "0");
    update();
  }

  let opening = false; // a second click while the form loads must not open it twice

  async function newMeeting() {
    if (opening) return;
    opening = true;
    s.message = "";
    try {
      const { openNewMeeting } = await import("../meeting/index.js");
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
    const cal = { view: s.view, anchor: s.anchor, now: s.now, timeZone, openDay, retries };
    return html`<section class="cal" data-testid="calendar" data-view=${s.view} data-first=${isoDate(first)} data-days=${count}>
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
        ${s.status === "ready" ? syncList(cal, calls) : nothing}
        ${s.status === "error"
          ? errorState({ title: "The calls could not be loaded", message: firestoreErrorMessage(s.error), retry })
          : s.view === "month"
            ? monthGrid(cal, first, count, calls)
            : timeGrid(cal, first, count, calls)}
      </section>`;
  }

  // --- lifecycle ---------------------------------------------------------------------

  readHash();
  document.title = "Calendar · Hearth";
  const unlisten = listenWhileShown([
    [window, "hashchange", onHashChange],
    [document, "keydown", onKeydown],
  ]);
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
    unlisten();
    render(nothing, container);
  };
}
