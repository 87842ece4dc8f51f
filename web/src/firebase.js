// Firebase for the admin page: app, Auth and Firestore, connected to the emulators when
// the runtime config names them.
import { initializeApp } from "firebase/app";
import {
  browserLocalPersistence,
  connectAuthEmulator,
  indexedDBLocalPersistence,
  initializeAuth,
} from "firebase/auth";
import { connectFirestoreEmulator, initializeFirestore } from "firebase/firestore";

/** Live bindings, set by initFirebase(). */
export let app = null;
export let auth = null;
export let db = null;

export function initFirebase(config) {
  if (app) return { app, auth, db };
  app = initializeApp({
    apiKey: config.apiKey,
    authDomain: config.authDomain,
    projectId: config.projectId,
    ...(config.appId ? { appId: config.appId } : {}),
    ...(config.storageBucket ? { storageBucket: config.storageBucket } : {}),
    ...(config.messagingSenderId ? { messagingSenderId: config.messagingSenderId } : {}),
  });

  // initializeAuth rather than getAuth: the popup/redirect resolver is not set up at
  // start (nothing to check for a pending redirect); Google sign-in passes it when used.
  auth = initializeAuth(app, { persistence: [indexedDBLocalPersistence, browserLocalPersistence] });
  const emulators = config.emulators || {};
  if (emulators.auth) {
    const url = /^https?:\/\//.test(emulators.auth) ? emulators.auth : `http://${emulators.auth}`;
    connectAuthEmulator(auth, url, { disableWarnings: true });
  }

  db = initializeFirestore(app, firestoreSettings(config));
  if (emulators.firestore) {
    const { host, port } = hostPort(emulators.firestore, 8080);
    connectFirestoreEmulator(db, host, port);
  }
  return { app, auth, db };
}

function firestoreSettings(config) {
  // Streaming (WebChannel) works against the Cloud SDK's emulator; a proxy that buffers
  // responses breaks it, and then "longPolling": true in config.json forces the
  // fallback. By default the SDK detects such proxies itself.
  if (config.longPolling === true || config.emulators?.longPolling === true) {
    return { experimentalForceLongPolling: true };
  }
  return { experimentalAutoDetectLongPolling: true };
}

function hostPort(value, defaultPort) {
  const bare = String(value).replace(/^[a-z]+:\/\//i, "").replace(/\/.*$/, "");
  const colon = bare.lastIndexOf(":");
  if (colon === -1) return { host: bare, port: defaultPort };
  return { host: bare.slice(0, colon).replace(/^\[|\]$/g, ""), port: Number(bare.slice(colon + 1)) || defaultPort };
}
