// Who is signed in, as the database sees them: uid and the role claims on the ID token.
// The rules decide access from the same claims, so the page shapes its queries from
// exactly what the rules will check.
import {
  browserPopupRedirectResolver,
  GoogleAuthProvider,
  onIdTokenChanged,
  signInWithEmailAndPassword,
  signInWithPopup,
  signOut as firebaseSignOut,
} from "firebase/auth";

export const ROLES = ["owner", "manager", "rep", "partner"];

/**
 * Calls onChange(principal | null) on sign-in, sign-out and whenever the claims change
 * (a token refresh with the same claims is not reported). Returns the unsubscribe.
 * principal: {uid, email, displayName, role (null when the account has none), segments}
 */
export function watchSession(auth, onChange) {
  let last = undefined;
  let generation = 0;
  return onIdTokenChanged(auth, async (user) => {
    const mine = ++generation;
    let principal = null;
    if (user) {
      try {
        principal = principalOf(user, (await user.getIdTokenResult()).claims);
      } catch {
        // No token (offline at start, or revoked): the cached user is all we know; the
        // database will refuse reads until a fresh token arrives.
        principal = principalOf(user, {});
      }
    }
    if (mine !== generation) return; // a newer change already arrived
    const signature = JSON.stringify(principal);
    if (signature === last) return;
    last = signature;
    onChange(principal);
  });
}

export function principalOf(user, claims) {
  const role = ROLES.includes(claims.role) ? claims.role : null;
  const segments = Array.isArray(claims.segments)
    ? claims.segments.filter((s) => typeof s === "string" && s)
    : [];
  return {
    uid: user.uid,
    email: user.email || "",
    displayName: user.displayName || "",
    role,
    segments: role === "partner" ? segments : [],
  };
}

export async function signIn(auth, email, password) {
  await signInWithEmailAndPassword(auth, email.trim(), password);
}

export async function signInWithGoogle(auth) {
  await signInWithPopup(auth, new GoogleAuthProvider(), browserPopupRedirectResolver);
}

export async function signOut(auth) {
  await firebaseSignOut(auth);
}

/** A sentence for a person, from a Firebase Auth error. */
export function authErrorMessage(error) {
  const code = error && error.code ? String(error.code) : "";
  switch (code) {
    case "auth/invalid-credential":
    case "auth/invalid-login-credentials":
    case "auth/wrong-password":
    case "auth/user-not-found":
    case "auth/invalid-email":
      return "That e-mail and password do not match an account.";
    case "auth/missing-password":
      return "Enter your password.";
    case "auth/user-disabled":
      return "This account is disabled. Ask the owner to enable it.";
    case "auth/too-many-requests":
      return "Too many attempts. Wait a minute and try again.";
    case "auth/network-request-failed":
      return "Could not reach the sign-in service. Check the connection and try again.";
    case "auth/popup-closed-by-user":
    case "auth/cancelled-popup-request":
      return "Sign-in was cancelled.";
    case "auth/popup-blocked":
      return "The browser blocked the sign-in window. Allow pop-ups for this site and try again.";
    case "auth/operation-not-allowed":
      return "This way of signing in is not enabled for this project.";
    default:
      return "Sign-in failed. Try again in a moment.";
  }
}
