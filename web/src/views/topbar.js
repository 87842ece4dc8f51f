// The bar on every signed-in screen: where you are, who you are, and the bell (bell.js:
// today's calls, and a rep's new leads and overdue tasks, live), which opens the list.
import { html, nothing, render } from "lit-html";
import { formatTime } from "../lib/format.js";
import { listenWhileShown } from "../lib/page-events.js";
import { signOut } from "../lib/session.js";
import { canSeeCalls, makeBell } from "./bell.js";

export { canSeeCalls };

const ROLE_LABELS = { owner: "Owner", manager: "Manager", rep: "Sales rep", partner: "Partner" };

export function navFor(role) {
  const links = [];
  // The dashboard first: it is where the owner and the manager land.
  if (role === "owner" || role === "manager") links.push({ route: "dashboard", href: "#/dashboard", label: "Dashboard" });
  if (role === "owner" || role === "rep" || role === "partner") links.push({ route: "customers", href: "#/customers", label: "Customers" });
  if (canSeeCalls(role)) links.push({ route: "calendar", href: "#/calendar", label: "Calendar" });
  if (role === "owner" || role === "rep") links.push({ route: "board", href: "#/board", label: "Board" });
  if (role === "owner" || role === "rep") links.push({ route: "tasks", href: "#/tasks", label: "Tasks" });
  if (role === "owner" || role === "manager" || role === "rep") links.push({ route: "reports", href: "#/reports", label: "Reports" });
  if (role === "owner") links.push({ route: "team", href: "#/team", label: "Team" });
  if (role === "owner") links.push({ route: "privacy", href: "#/privacy", label: "Privacy" });
  if (role === "owner") links.push({ route: "duplicates", href: "#/duplicates", label: "Duplicates" });
  if (role === "owner") links.push({ route: "import", href: "#/import", label: "Import" });
  return links;
}

/**
 * Mounts the top bar. Returns {setRoute(name), cleanup()}.
 * ctx: {db, auth, session, config}
 */
export function mountTopbar(container, ctx) {
  const { session, config } = ctx;
  const timeZone = config.businessTimeZone;
  const state = { route: "" };
  const bell = makeBell(ctx, update);

  function onDocumentClick(event) {
    if (bell.isOpen() && !container.querySelector(".bell-wrap")?.contains(event.target)) bell.close();
  }

  function onKey(event) {
    if (event.key === "Escape" && bell.isOpen()) {
      bell.close();
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
    const next = bell.nextCall();
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
          ${bell.template()}
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

  const unlisten = listenWhileShown([
    [document, "click", onDocumentClick],
    [document, "keydown", onKey],
    [window, "resize", showCurrent],
  ]);
  update();

  return {
    setRoute(name) {
      state.route = name;
      bell.close();
      update();
      showCurrent();
    },
    cleanup() {
      bell.cleanup();
      unlisten();
      render(nothing, container);
    },
  };
}
