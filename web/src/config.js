// The runtime configuration: which Firebase project, where the functions are, and,
// locally, where the emulators are. It is fetched rather than bundled, so one build
// serves every environment: the local stack answers /config.json from its own ports;
// in production it is a static config.json next to index.html holding the Firebase web
// config (public by design: access is decided by firestore.rules and the functions).
//
// {
//   "projectId": "demo-hearth", "apiKey": "…", "authDomain": "…",
//   "emulators": {"firestore": "127.0.0.1:8080", "auth": "http://127.0.0.1:9099"},
//   "functionsBase": "http://127.0.0.1:5001",
//   "businessTimeZone": "Europe/Malta",
//   "siteUrl": "https://www.your-studio.com",   (where booking links point)
//   "googleSignIn": false,
//   "stageGroups": {"deposit_paid": "lead"}            (optional)
// }
import { text } from "./lib/format.js";

export const DEFAULT_TIME_ZONE = "Europe/Malta";

export class ConfigError extends Error {}

export async function loadConfig(url = "/config.json") {
  let response;
  try {
    response = await fetch(url, { cache: "no-store", credentials: "same-origin" });
  } catch {
    throw new ConfigError("Hearth could not reach its server to read its settings. Check the connection and reload.");
  }
  if (!response.ok) {
    throw new ConfigError(
      `Hearth's settings (${url}) could not be read (HTTP ${response.status}). ` +
        "Locally, start the stack with `make dev`; in production, publish config.json next to index.html.",
    );
  }
  let raw;
  try {
    raw = await response.json();
  } catch {
    throw new ConfigError(`Hearth's settings (${url}) are not valid JSON.`);
  }
  return normaliseConfig(raw);
}

export function normaliseConfig(raw) {
  if (!raw || typeof raw !== "object") throw new ConfigError("Hearth's settings are empty.");
  const projectId = text(raw.projectId);
  if (!projectId) throw new ConfigError("Hearth's settings name no Firebase projectId.");
  const emulators = raw.emulators && typeof raw.emulators === "object" ? raw.emulators : null;
  const config = {
    ...raw,
    projectId,
    // The emulators accept any key; a real project needs its own.
    apiKey: text(raw.apiKey) || (emulators ? "demo-api-key" : ""),
    authDomain: text(raw.authDomain) || `${projectId}.firebaseapp.com`,
    functionsBase: (text(raw.functionsBase) || "").replace(/\/+$/, ""),
    businessTimeZone: validTimeZone(text(raw.businessTimeZone)) || DEFAULT_TIME_ZONE,
    googleSignIn: raw.googleSignIn === true,
    stageGroups: raw.stageGroups && typeof raw.stageGroups === "object" ? raw.stageGroups : null,
    emulators: emulators
      ? {
          firestore: text(emulators.firestore) || null,
          auth: text(emulators.auth) || null,
        }
      : null,
  };
  if (!config.apiKey) throw new ConfigError("Hearth's settings name no Firebase apiKey.");
  return config;
}

function validTimeZone(zone) {
  if (!zone) return "";
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone;
  } catch {
    return "";
  }
}
