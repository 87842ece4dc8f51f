// The bar on every signed-in screen: where you are, who you are, and the bell with the
// number of today's calls (live), which opens the list of them.
import { html, nothing, render } from "lit-html";
import { watchCallsBetween } from "../data/firestore.js";
import { formatTime, toDate } from "../lib/format.js";
import { listenWhileShown } from "../lib/page-events.js";
import { signOut } from "../lib/session.js";
import { safeUrl } from "../lib/urls.js";
import { dayBounds } from "../lib/zoned.js";

const ROLE_LABELS = { owner: "Owner", manager: "Manager", rep: "Sales rep", partner: "Partner" };

/** Roles whose bookings query the rules allow (a rep's carries ownerUid == uid). */
export function canSeeCalls(role) {
  return role === "owner" || role === "rep";
}

export function navFor(role) {
  const links = [];
  // The dashboard first: it is where the owner and the manager land.
  if (role === "owner" || role === "manager") links.push({ route: "dashboard", href: "#/dashboard", label: "Dashboard" });
  if (role === "owner" || role === "rep" || role === "partner") links.push({ route: "customers", href: "#/customers", label: "Customers" });
  if (canSeeCalls(role)) links.push({ route: "calendar", href: "#/calendar", label: "Calendar" });
  if (role === "owner" || role === "rep") links.push({ route: "board", href: "#/board", label: "Board" });
  if (role === "owner" || role === "rep") links.push({ route: "tasks", href: "#/tasks", label: "Tasks" });
  if (role === "owner" || role === "manager" || role === "rep") links.push({ route: "reports", href: "#/reports", label: "Reports" });
  return links;
}

/**
 * Mounts the top bar. Returns {setRoute(name), cleanup()}.
 * ctx: {db, auth, session, config}
 */
export function mountTopbar(container, ctx) {
  const { session, config } = ctx;
  const timeZone = config.businessTimeZone;
  const state = {
    route: "",
    open: false,
    calls: [], // today's bookings, cancelled ones left out
    callsStatus: canSeeCalls(session.role) ? "loading" : "none",
    now: Date.now(),
  };
  let unsubscribe = () => {};
  let dayTimer = 0;
  let clockTimer = 0;

  function subscribe() {
    unsubscribe();
    clearTimeout(dayTimer);
    if (!canSeeCalls(session.role)) return;
    const { start, end } = dayBounds(timeZone);
    const ownerUid = session.role === "rep" ? session.uid : null;
    unsubscribe = watchCallsBetween(
      ctx.db,
      { start, end, ownerUid },
      (calls) => {
        state.calls = calls.filter((b) => b.status !== "cancelled");
        state.callsStatus = "ready";
        update();
      },
      () => {
        state.callsStatus = "error";
        update();
      },
    );
    // A new day, a new list: resubscribe just after midnight in the business time zone.
    dayTimer = setTimeout(subscribe, Math.min(end.getTime() - Date.now() + 1000, 24 * 3600 * 1000));
  }

  function toggle(event) {
    event.stopPropagation();
    state.open = !state.open;
    state.now = Date.now();
    update();
  }

  function close() {
    if (!state.open) return;
    state.open = false;
    update();
  }

  function onDocumentClick(event) {
    if (state.open && !container.querySelector(".bell-wrap")?.contains(event.target)) close();
  }

  function onKey(event) {
    if (event.key === "Escape" && state.open) {
      close();
      container.querySelector("[data-testid=bell]")?.focus();
    }
  }

  async function doSignOut() {
    try {
      await signOut(ctx.auth);
    } catch {
      // Signing out locally cannot really fail; the session watcher redraws either way.
    }
  }

  function update() {
    render(template(), container);
  }

  /** On a phone the links scroll sideways: keep the current screen's in sight. */
  function showCurrent() {
    const nav = container.querySelector(".nav");
    const current = nav?.querySelector(".nav-link.active");
    if (!current || nav.scrollWidth <= nav.clientWidth) return;
    const box = nav.getBoundingClientRect();
    const link = current.getBoundingClientRect();
    if (link.right > box.right) nav.scrollLeft += link.right - box.right;
    else if (link.left < box.left) nav.scrollLeft -= box.left - link.left;
  }

  function template() {
    const links = navFor(session.role);
    const inSettings = state.route === "booking-settings" || state.route === "settings";
    const count = state.calls.length;
    const next = state.calls.find((b) => (toDate(b.end) || toDate(b.start))?.getTime() > state.now);
    return html`<div class="topbar-inner">
      <a class="brand" href="#/" aria-label="Hearth home"><span class="brand-mark" aria-hidden="true"></span><span class="brand-name">Hearth</span></a>
      <nav class="nav" aria-label="Main">
        ${links.map(
          (link) => html`<a class="nav-link ${state.route === link.route || (link.route === "customers" && state.route === "customer") ? "active" : ""}"
            href=${link.href} aria-current=${state.route === link.route ? "page" : "false"}>${link.label}</a>`,
        )}
      </nav>
      <div class="topbar-right">
        ${next && canSeeCalls(session.role)
          ? html`<span class="next-call" title="Your next call today">
              Next: ${formatTime(next.start, timeZone)} · ${next.customerName || next.customerKey || "call"}
            </span>`
          : nothing}
        <div class="bell-wrap">
          <button type="button" class="bell ${count ? "has-calls" : ""}" data-testid="bell" aria-haspopup="true"
            aria-expanded=${state.open ? "true" : "false"} @click=${toggle}
            title=${canSeeCalls(session.role) ? `${count} call${count === 1 ? "" : "s"} today` : "Today's calls"}>
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="currentColor"
              d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"/></svg>
            <span class="bell-count" data-testid="bell-count" aria-label="calls today">${count}</span>
          </button>
          ${state.open ? bellList() : nothing}
        </div>
        <div class="user-menu" data-testid="user-menu">
          ${session.role === "owner"
            ? html`<a class="button button-quiet settings-link ${inSettings ? "active" : ""}" href="#/settings/booking"
                data-testid="settings-link" title="Settings" aria-label="Settings"
                aria-current=${inSettings ? "page" : "false"}>
                <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2"
                  stroke-linecap="round"><path d="M4 7h8m4 0h4M4 17h4m4 0h8"/><circle cx="14" cy="7" r="2"/><circle cx="10" cy="17" r="2"/></svg>
              </a>`
            : nothing}
          <span class="user-id">
            <span class="user-email">${session.email || session.uid}</span>
            <span class="role-badge">${ROLE_LABELS[session.role] || "No role"}${session.role === "partner" && session.segments.length
              ? html` · ${session.segments.join(", ")}`
              : nothing}</span>
          </span>
          <button type="button" class="button button-quiet signout" data-testid="signout" @click=${doSignOut} title="Sign out">
            <svg class="signout-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path fill="currentColor"
              d="M10 3h8a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2h-8v-2h8V5h-8V3Zm-.6 4.6L10.8 9l-2 2H16v2H8.8l2 2-1.4 1.4L5 12l4.4-4.4Z"/></svg>
            <span class="signout-text">Sign out</span>
          </button>
        </div>
      </div>
    </div>`;
  }

  function bellList() {
    let body;
    if (!canSeeCalls(session.role)) {
      body = html`<p class="bell-empty">Calls are shown to the owner and the sales reps.</p>`;
    } else if (state.callsStatus === "loading") {
      body = html`<p class="bell-empty">Loading today's calls…</p>`;
    } else if (state.callsStatus === "error") {
      body = html`<p class="bell-empty bell-error">Today's calls could not be loaded. They will appear when the connection is back.</p>`;
    } else if (!state.calls.length) {
      body = html`<p class="bell-empty">No calls booked for today.</p>`;
    } else {
      body = html`<ul class="bell-items">
        ${state.calls.map((b) => bellItem(b))}
      </ul>`;
    }
    return html`<div class="bell-list" data-testid="bell-list" role="dialog" aria-label="Today's calls">
      <div class="bell-head">Today's calls <span class="muted">${todayLabel(timeZone)}</span></div>
      ${body}
      ${canSeeCalls(session.role)
        ? html`<a class="bell-foot" href="#/calendar/day" data-testid="bell-calendar" @click=${close}>Open the calendar</a>`
        : nothing}
    </div>`;
  }

  function bellItem(b) {
    const start = toDate(b.start);
    const end = toDate(b.end);
    const past = (end || start) && (end || start).getTime() < state.now;
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

  // Keep "past" and "next" right as the day goes on.
  clockTimer = setInterval(() => {
    state.now = Date.now();
    if (state.calls.length) update();
  }, 60_000);
  const unlisten = listenWhileShown([
    [document, "click", onDocumentClick],
    [document, "keydown", onKey],
    [window, "resize", showCurrent],
  ]);
  update();
  subscribe();

  return {
    setRoute(name) {
      state.route = name;
      state.open = false;
      update();
      showCurrent();
    },
    cleanup() {
      unsubscribe();
      clearTimeout(dayTimer);
      clearInterval(clockTimer);
      unlisten();
      render(nothing, container);
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
