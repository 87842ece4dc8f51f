// Boot and route the admin page.
//
// 1. Read the runtime config (/config.json) and start Firebase with it.
// 2. Watch the session: signed out -> the sign-in screen and nothing else; signed in ->
//    the top bar and the screen the hash names, as far as the role allows.
// 3. Hash routes: #/customers, #/customers/<url-encoded key>,
//    #/dashboard[?period=<today|7d|30d|12m>], #/signin,
//    #/calendar[/<day|week|month>[/<YYYY-MM-DD>]], #/settings/booking and
//    #/settings/pipeline, #/settings/fields, #/settings/automations, #/settings/routing, #/settings/email (owner only; views/settings/nav.js
//    lists the sections), #/team, #/privacy, #/duplicates and #/import (owner only),
//    #/tasks and #/board[?view=funnel] (owner and rep),
//    #/reports[?report=<name>&from=<YYYY-MM-DD>&to=<YYYY-MM-DD>] (owner, manager, rep).
//    The customer detail, the calendar, the dashboard, the reports and the settings are
//    loaded on demand (code splitting), so the first screen ships only Firebase,
//    lit-html and the list.
import { html, nothing, render } from "lit-html";
import { createApi } from "./data/api.js";
import { loadConfig } from "./config.js";
import { initFirebase } from "./firebase.js";
import { signOut, watchSession } from "./lib/session.js";
import { makeStages, watchStages } from "./stages.js";
import { mountCustomers } from "./views/customers.js";
import { mountSignin } from "./views/signin.js";
import { error as errorState, loading } from "./views/states.js";
import { mountTopbar } from "./views/topbar.js";

const root = document.getElementById("app");
// The static "Loading Hearth…" of index.html goes once the page draws itself: lit-html
// renders next to existing children, it does not replace them.
let splashRemoved = false;
function clearSplash() {
  if (splashRemoved) return;
  splashRemoved = true;
  root.replaceChildren();
}

const app = {
  config: null,
  auth: null,
  db: null,
  api: null,
  session: undefined, // undefined: not known yet; null: signed out
  ctx: null,
  topbar: null,
  view: null, // {name, key, cleanup, host}
  stopStages: () => {},
  wanted: "", // the hash asked for while signed out, opened after sign-in
};

// --- routes -----------------------------------------------------------------------

/** {name, key} from location.hash. */
export function parseHash(hash) {
  const [path, query = ""] = String(hash || "").replace(/^#\/?/, "").split("?", 2);
  const [first, ...rest] = path.split("/");
  if (first === "customers" && rest.length && rest.join("/")) {
    try {
      return { name: "customer", key: decodeURIComponent(rest.join("/")) };
    } catch {
      return { name: "customers" };
    }
  }
  if (first === "customers") return { name: "customers" };
  // The dashboard reads its period from the query itself and stays mounted when it
  // changes (the key stays null), like the calendar with its sub-path.
  if (first === "dashboard") return { name: "dashboard", sub: query };
  // The reports read their report and period from the query the same way.
  if (first === "reports") return { name: "reports", sub: query };
  // The calendar keeps one mounted view while its sub-path (view and date) changes: it
  // reads the sub-path itself, so the key stays null.
  if (first === "calendar") return { name: "calendar", sub: rest.filter(Boolean).join("/") };
  // Settings sections: #/settings/pipeline, #/settings/fields, #/settings/automations;
  // #/settings (and booking) open the booking one.
  if (first === "settings" && ["pipeline", "fields", "automations", "routing", "email"].includes(rest[0])) {
    return { name: "settings", key: rest[0] };
  }
  if (first === "settings") return { name: "booking-settings" };
  if (first === "tasks") return { name: "tasks" };
  if (first === "team") return { name: "team" };
  if (first === "privacy") return { name: "privacy" };
  if (first === "duplicates") return { name: "duplicates" };
  if (first === "import") return { name: "import" };
  // The board and its funnel are two mounts of one screen (the key names the view).
  if (first === "board") return { name: "board", key: query === "view=funnel" ? "funnel" : null };
  if (first === "signin") return { name: "signin" };
  return { name: "home" };
}

/** Where a role lands, and where it may go: the figures for those who run the studio,
 * the customers for those who work them (reps and partners get no analytics). */
export function homeFor(role) {
  return role === "owner" || role === "manager" ? "dashboard" : "customers";
}

function allowedRoute(route, role) {
  if (route.name === "customers" || route.name === "customer") {
    return role === "manager" ? { name: "dashboard" } : route;
  }
  if (route.name === "dashboard") {
    return role === "owner" || role === "manager" ? route : { name: "customers" };
  }
  if (route.name === "reports") {
    return role === "owner" || role === "manager" || role === "rep" ? route : { name: homeFor(role) };
  }
  if (route.name === "calendar") {
    return role === "owner" || role === "rep" ? route : { name: homeFor(role) };
  }
  if (route.name === "tasks" || route.name === "board") {
    return role === "owner" || role === "rep" ? route : { name: homeFor(role) };
  }
  if (route.name === "booking-settings" || route.name === "settings" || route.name === "team" || route.name === "privacy" || route.name === "duplicates" || route.name === "import") {
    return role === "owner" ? route : { name: homeFor(role) };
  }
  return { name: homeFor(role) };
}

function hashOf(route) {
  if (route.name === "customer") return `#/customers/${encodeURIComponent(route.key)}`;
  if (route.name === "calendar" && route.sub) return `#/calendar/${route.sub}`;
  if (route.name === "dashboard" && route.sub) return `#/dashboard?${route.sub}`;
  if (route.name === "reports" && route.sub) return `#/reports?${route.sub}`;
  if (route.name === "booking-settings") return "#/settings/booking";
  if (route.name === "settings") return `#/settings/${route.key}`;
  if (route.name === "board" && route.key) return "#/board?view=funnel";
  return `#/${route.name}`;
}

function navigate(hash, { replace = false } = {}) {
  if (location.hash === hash) {
    route(); // already there: make sure it is drawn (route does nothing when it is)
    return;
  }
  if (replace) {
    history.replaceState(null, "", hash);
    route();
  } else {
    location.hash = hash;
  }
}

// --- views ------------------------------------------------------------------------

function shell() {
  clearSplash();
  // Fixed hosts: the top bar and the view each render into their own element.
  render(
    html`<div class="shell">
      <header class="topbar" id="topbar"></header>
      <main class="main" id="view" tabindex="-1"></main>
    </div>`,
    root,
  );
  return { topbar: document.getElementById("topbar"), view: document.getElementById("view") };
}

function unmountView() {
  const view = app.view;
  app.view = null;
  if (!view) return;
  try {
    view.cleanup?.();
  } catch (err) {
    console.error(err);
  }
  view.host.remove();
}

function mountInto(name, key, mount) {
  unmountView();
  const main = document.getElementById("view");
  const host = document.createElement("div");
  host.className = `view view-${name}`;
  main.append(host);
  const view = { name, key, host, cleanup: null };
  app.view = view;
  const result = mount(host);
  if (result && typeof result.then === "function") {
    result.then((cleanup) => {
      if (app.view === view) view.cleanup = cleanup;
      else cleanup?.();
    });
  } else {
    view.cleanup = result;
  }
}

/** Loads a view's chunk, with a loading state and a clear error when it cannot. */
function lazyView(name, key, load) {
  mountInto(name, key, async (host) => {
    render(loading(), host);
    let mount;
    try {
      mount = await load();
    } catch (err) {
      console.error(err);
      render(
        errorState({
          title: "This screen could not be loaded",
          message: "Hearth may have been updated, or the connection dropped. Reload the page.",
          retry: () => location.reload(),
        }),
        host,
      );
      return null;
    }
    if (app.view?.host !== host) return null;
    render(nothing, host);
    return mount(host);
  });
}

function route() {
  if (app.session === undefined) return;
  const asked = parseHash(location.hash);

  if (app.session === null) {
    if (asked.name !== "signin" && asked.name !== "home") app.wanted = hashOf(asked);
    if (app.view?.name === "signin") return;
    clearSplash();
    render(html`<div class="signed-out" id="view"></div>`, root);
    mountInto("signin", null, (host) => mountSignin(host, { auth: app.auth, config: app.config }));
    return;
  }

  if (!app.session.role) {
    if (app.view?.name === "norole") return;
    clearSplash();
    render(html`<div class="signed-out" id="view"></div>`, root);
    mountInto("norole", null, (host) => noRole(host));
    return;
  }

  const target = allowedRoute(asked, app.session.role);
  if (hashOf(target) !== location.hash) {
    navigate(hashOf(target), { replace: true });
    return;
  }
  app.topbar?.setRoute(target.name);
  if (app.view && app.view.name === target.name && app.view.key === (target.key ?? null)) return;

  const ctx = app.ctx;
  if (target.name === "customers") {
    mountInto("customers", null, (host) => mountCustomers(host, ctx));
  } else if (target.name === "customer") {
    lazyView("customer", target.key, async () => {
      const { renderCustomer } = await import("./views/customer/index.js");
      return (host) => renderCustomer(host, ctx, target.key);
    });
    window.scrollTo(0, 0);
  } else if (target.name === "calendar") {
    lazyView("calendar", null, async () => {
      const { renderCalendar } = await import("./views/calendar/index.js");
      return (host) => renderCalendar(host, ctx);
    });
  } else if (target.name === "booking-settings") {
    lazyView("booking-settings", null, async () => {
      const { renderBookingSettings } = await import("./views/booking-settings/index.js");
      return (host) => renderBookingSettings(host, ctx);
    });
    window.scrollTo(0, 0);
  } else if (target.name === "settings") {
    lazyView("settings", target.key, async () => {
      const { renderSettings } = await import("./views/settings/index.js");
      return (host) => renderSettings(host, ctx, target.key);
    });
    window.scrollTo(0, 0);
  } else if (target.name === "team") {
    lazyView("team", null, async () => {
      const { renderTeam } = await import("./views/team/index.js");
      return (host) => renderTeam(host, ctx);
    });
    window.scrollTo(0, 0);
  } else if (target.name === "privacy") {
    lazyView("privacy", null, async () => {
      const { renderPrivacy } = await import("./views/privacy/index.js");
      return (host) => renderPrivacy(host, ctx);
    });
    window.scrollTo(0, 0);
  } else if (target.name === "duplicates") {
    lazyView("duplicates", null, async () => {
      const { renderDuplicates } = await import("./views/duplicates/index.js");
      return (host) => renderDuplicates(host, ctx);
    });
    window.scrollTo(0, 0);
  } else if (target.name === "import") {
    lazyView("import", null, async () => {
      const { renderImport } = await import("./views/import/index.js");
      return (host) => renderImport(host, ctx);
    });
    window.scrollTo(0, 0);
  } else if (target.name === "tasks") {
    lazyView("tasks", null, async () => {
      const { renderTasks } = await import("./views/tasks/index.js");
      return (host) => renderTasks(host, ctx);
    });
  } else if (target.name === "board") {
    lazyView("board", target.key, async () => {
      const { renderBoard } = await import("./views/board/index.js");
      return (host) => renderBoard(host, ctx, target.key || "board");
    });
  } else if (target.name === "reports") {
    lazyView("reports", null, async () => {
      const { renderReports } = await import("./views/reports/index.js");
      return (host) => renderReports(host, ctx);
    });
  } else if (target.name === "dashboard") {
    lazyView("dashboard", null, async () => {
      const { renderDashboard } = await import("./views/dashboard/index.js");
      return (host) => renderDashboard(host, ctx);
    });
  }
}

function noRole(host) {
  render(
    html`<div class="signin-page">
      <div class="card signin" data-testid="no-role">
        <div class="brand brand-large"><span class="brand-mark" aria-hidden="true"></span>Hearth</div>
        <h1 class="signin-title">No access yet</h1>
        <p>You are signed in as <strong data-testid="user-menu">${app.session.email || app.session.uid}</strong>,
          but this account has no role in Hearth. Ask the owner to give you one, then sign in again.</p>
        <button type="button" class="button button-block" data-testid="signout" @click=${() => signOut(app.auth)}>Sign out</button>
      </div>
    </div>`,
    host,
  );
  document.title = "No access · Hearth";
  return () => render(nothing, host);
}

// --- session ----------------------------------------------------------------------

function endSession() {
  unmountView();
  app.topbar?.cleanup();
  app.topbar = null;
  app.stopStages();
  app.stopStages = () => {};
  app.ctx = null;
}

function startSession(session) {
  const listeners = new Map();
  const stages = makeStages(null, app.config.stageGroups);
  const ctx = {
    db: app.db,
    auth: app.auth,
    session,
    api: app.api,
    config: app.config,
    stages, // kept as one object, updated in place when settings/pipeline arrives
    navigate: (hash) => navigate(hash),
    /** onChange("stages", fn) -> unsubscribe: fn runs when the stages change. */
    onChange(name, fn) {
      if (!listeners.has(name)) listeners.set(name, new Set());
      listeners.get(name).add(fn);
      return () => listeners.get(name)?.delete(fn);
    },
  };
  app.ctx = ctx;
  app.stopStages = watchStages(app.db, session, app.config, (next) => {
    Object.assign(stages, next);
    for (const fn of listeners.get("stages") || []) fn(stages);
  });
  const hosts = shell();
  app.topbar = mountTopbar(hosts.topbar, ctx);
}

function onSession(session) {
  const wasSignedIn = Boolean(app.session);
  endSession();
  app.session = session;
  if (session && session.role) {
    startSession(session);
    if (!wasSignedIn && app.wanted) {
      const wanted = app.wanted;
      app.wanted = "";
      navigate(wanted, { replace: true });
      return;
    }
  }
  route();
}

// --- boot -------------------------------------------------------------------------

async function boot() {
  try {
    app.config = await loadConfig();
  } catch (err) {
    clearSplash();
    render(
      html`<div class="signin-page">${errorState({ title: "Hearth cannot start", message: err.message, retry: () => location.reload() })}</div>`,
      root,
    );
    return;
  }
  try {
    const firebase = initFirebase(app.config);
    app.auth = firebase.auth;
    app.db = firebase.db;
  } catch (err) {
    console.error(err);
    clearSplash();
    render(
      html`<div class="signin-page">${errorState({
        title: "Hearth cannot start",
        message: "The Firebase settings in config.json are not usable.",
      })}</div>`,
      root,
    );
    return;
  }
  app.api = createApi({ auth: app.auth, config: app.config });
  window.addEventListener("hashchange", route);
  watchSession(app.auth, onSession);
}

boot();
