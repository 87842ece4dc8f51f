// The bell of the top bar, on every signed-in page: what needs you today, live. For the
// owner and a rep, today's calls; for a rep also the leads routed (or handed over) to
// them since midnight in the business time zone and their overdue tasks. The badge
// counts all of it and says so in words to a screen reader; the list groups them, each
// a link (the customer, or the Tasks screen). Names are data, bound as text.
import { html, nothing } from "lit-html";
import { watchAssignedSince, watchCallsBetween, watchOverdueTasks } from "../data/firestore.js";
import { formatDateTime, formatTime, toDate } from "../lib/format.js";
import { safeUrl } from "../lib/urls.js";
import { dayBounds } from "../lib/zoned.js";

const MAX_ITEMS = 50;

/** Roles whose bookings query the rules allow (a rep's carries ownerUid == uid). */
export function canSeeCalls(role) {
  return role === "owner" || role === "rep";
}

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

/** One live list of the bell: its items and "loading" | "ready" | "error" ("none": not this role's). */
function feed(enabled) {
  return { items: [], status: enabled ? "loading" : "none" };
}

/**
 * ctx: {db, session, config}; update(): redraw the top bar. Returns {template(),
 * nextCall(now), close(), isOpen(), toggle(event), cleanup()}.
 */
export function makeBell(ctx, update) {
  const { session, config } = ctx;
  const timeZone = config.businessTimeZone;
  const rep = session.role === "rep";
  const s = {
    open: false,
    now: Date.now(),
    calls: feed(canSeeCalls(session.role)), // today's bookings, cancelled ones left out
    leads: feed(rep), // customers assigned to the rep today
    tasks: feed(rep), // the rep's overdue tasks
  };
  let stops = [];
  let dayTimer = 0;

  function follow(part, watch, pick = (items) => items) {
    return watch(
      (items) => {
        part.items = pick(items);
        part.status = "ready";
        update();
      },
      (err) => {
        console.error(err);
        part.status = "error";
        update();
      },
    );
  }

  function subscribe() {
    for (const stop of stops) stop();
    stops = [];
    clearTimeout(dayTimer);
    if (!canSeeCalls(session.role)) return;
    const { start, end } = dayBounds(timeZone);
    const ownerUid = rep ? session.uid : null;
    stops.push(
      follow(
        s.calls,
        (ok, fail) => watchCallsBetween(ctx.db, { start, end, ownerUid }, ok, fail),
        (calls) => calls.filter((b) => b.status !== "cancelled"),
      ),
    );
    if (rep) {
      stops.push(follow(s.leads, (ok, fail) => watchAssignedSince(ctx.db, { ownerUid, since: start, max: MAX_ITEMS }, ok, fail)));
      stops.push(follow(s.tasks, (ok, fail) => watchOverdueTasks(ctx.db, { ownerUid, max: MAX_ITEMS }, ok, fail)));
    }
    // A new day, a new list: resubscribe just after midnight in the business time zone.
    dayTimer = setTimeout(subscribe, Math.min(end.getTime() - Date.now() + 1000, 24 * 3600 * 1000));
  }

  function count() {
    return s.calls.items.length + s.leads.items.length + s.tasks.items.length;
  }

  /** What the badge counts, in words: "3 today: 1 call, 1 new lead, 1 overdue task". */
  function label() {
    // The visible count begins every label (WCAG 2.5.3, label in name).
    if (!canSeeCalls(session.role)) return "0 today: calls are shown to the owner and the sales reps";
    const parts = [plural(s.calls.items.length, "call", "calls")];
    if (rep) {
      parts.push(plural(s.leads.items.length, "new lead", "new leads"));
      parts.push(plural(s.tasks.items.length, "overdue task", "overdue tasks"));
    }
    return rep ? `${count()} today: ${parts.join(", ")}` : `${parts[0]} today`;
  }

  function close() {
    if (!s.open) return;
    s.open = false;
    update();
  }

  function toggle(event) {
    event.stopPropagation();
    s.open = !s.open;
    s.now = Date.now();
    update();
  }

  function nextCall() {
    return s.calls.items.find((b) => (toDate(b.end) || toDate(b.start))?.getTime() > s.now);
  }

  // --- rendering -----------------------------------------------------------------------

  function button() {
    const n = count();
    return html`<button type="button" class="bell ${n ? "has-calls" : ""}" data-testid="bell" aria-haspopup="true"
      aria-expanded=${s.open ? "true" : "false"} @click=${toggle} title=${label()} aria-label=${label()}>
      <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="currentColor"
        d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"/></svg>
      <span class="bell-count" data-testid="bell-count" aria-hidden="true">${n}</span>
    </button>`;
  }

  /** A group's body: its state while it has no items, else its list. */
  function body(part, { what, none, item, testid }) {
    if (part.status === "loading") return html`<p class="bell-empty">Loading ${what}…</p>`;
    if (part.status === "error") {
      return html`<p class="bell-empty bell-error">${what[0].toUpperCase()}${what.slice(1)} could not be loaded. They will appear when the
        connection is back.</p>`;
    }
    if (!part.items.length) return html`<p class="bell-empty" data-testid=${`${testid}-none`}>${none}</p>`;
    return html`<ul class="bell-items" aria-label=${what}>${part.items.map(item)}</ul>`;
  }

  function callItem(b) {
    const start = toDate(b.start);
    const end = toDate(b.end);
    const past = (end || start) && (end || start).getTime() < s.now;
    const name = b.customerName || b.customerKey || "A customer";
    const video = safeUrl(b.videoLink);
    return html`<li class="bell-item ${past ? "past" : ""}" data-testid="bell-item">
      <span class="bell-time">${formatTime(start, timeZone)}${end ? html`<span class="muted">–${formatTime(end, timeZone)}</span>` : nothing}</span>
      <span class="bell-who">
        ${b.customerKey
          ? html`<a href=${`#/customers/${encodeURIComponent(b.customerKey)}`} data-testid="bell-customer" @click=${close}>${name}</a>`
          : html`<span>${name}</span>`}
        ${b.typeLabel || b.type ? html`<span class="muted bell-type">${b.typeLabel || b.type}</span>` : nothing}
      </span>
      ${video
        ? html`<a class="bell-video" data-testid="bell-video" href=${video} target="_blank" rel="noopener noreferrer">Join</a>`
        : nothing}
    </li>`;
  }

  function leadItem(c) {
    const name = c.name || c.email || c.key;
    const reason = c.routedBy && typeof c.routedBy.reason === "string" ? c.routedBy.reason : "";
    return html`<li class="bell-item bell-item-2" data-testid="bell-lead" data-key=${c.key}>
      <span class="bell-time">${formatTime(c.assignedAt, timeZone)}</span>
      <span class="bell-who">
        <a href=${`#/customers/${encodeURIComponent(c.key)}`} data-testid="bell-lead-link" @click=${close}>${name}</a>
        ${reason ? html`<span class="muted bell-type" data-testid="bell-lead-reason">${reason}</span>` : nothing}
      </span>
    </li>`;
  }

  function taskItem(t) {
    return html`<li class="bell-item bell-item-2 bell-overdue" data-testid="bell-task" data-task=${t.id}>
      <span class="bell-time" title="Was due">${formatDateTime(t.due, timeZone)}</span>
      <span class="bell-who">
        <a href="#/tasks" data-testid="bell-task-link" @click=${close}>${t.title || "Follow-up"}</a>
        <span class="muted bell-type">${t.customerName || t.customer || ""}</span>
      </span>
    </li>`;
  }

  function group(title, content, testid) {
    return html`<section class="bell-group" data-testid=${testid} aria-label=${title}>
      <h2 class="bell-head">${title}${testid === "bell-calls" ? html` <span class="muted">${todayLabel(timeZone)}</span>` : nothing}</h2>
      ${content}
    </section>`;
  }

  function list() {
    if (!canSeeCalls(session.role)) {
      return html`<div class="bell-list" data-testid="bell-list" role="dialog" aria-label="Today's calls">
        <div class="bell-head">Today's calls</div>
        <p class="bell-empty">Calls are shown to the owner and the sales reps.</p>
      </div>`;
    }
    const calls = group(
      "Today's calls",
      body(s.calls, { what: "today's calls", none: "No calls booked for today.", item: callItem, testid: "bell-calls" }),
      "bell-calls",
    );
    return html`<div class="bell-list ${rep ? "bell-list-rep" : ""}" data-testid="bell-list" role="dialog"
      aria-label=${rep ? "Your day" : "Today's calls"}>
      <div class="bell-scroll">
        ${rep
          ? html`${group(
              "New leads for you today",
              body(s.leads, { what: "your new leads", none: "No lead assigned to you today.", item: leadItem, testid: "bell-leads" }),
              "bell-leads",
            )}
            ${group(
              "Overdue tasks",
              body(s.tasks, { what: "your overdue tasks", none: "Nothing overdue.", item: taskItem, testid: "bell-tasks" }),
              "bell-tasks",
            )}`
          : nothing}
        ${calls}
      </div>
      <div class="bell-feet">
        <a class="bell-foot" href="#/calendar/day" data-testid="bell-calendar" @click=${close}>Open the calendar</a>
        ${rep ? html`<a class="bell-foot" href="#/tasks" data-testid="bell-tasks-link" @click=${close}>Open your tasks</a>` : nothing}
      </div>
    </div>`;
  }

  function template() {
    return html`${button()}${s.open ? list() : nothing}`;
  }

  // Keep "past" and "next" right as the day goes on.
  const clockTimer = setInterval(() => {
    s.now = Date.now();
    if (s.calls.items.length) update();
  }, 60_000);
  subscribe();

  return {
    template,
    nextCall,
    close,
    isOpen: () => s.open,
    cleanup() {
      for (const stop of stops) stop();
      clearTimeout(dayTimer);
      clearInterval(clockTimer);
    },
  };
}

function todayLabel(timeZone) {
  try {
    return new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone }).format(new Date());
  } catch {
    return "";
  }
}
