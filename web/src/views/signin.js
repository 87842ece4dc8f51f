// The only thing a signed-out visitor sees: e-mail and password (and Google, when the
// project's config turns it on).
import { html, nothing, render } from "lit-html";
import { authErrorMessage, signIn, signInWithGoogle } from "../lib/session.js";

export function mountSignin(container, { auth, config, notice = "" }) {
  const state = { busy: false, error: "", notice };

  async function submit(event) {
    event.preventDefault();
    if (state.busy) return;
    const form = event.currentTarget;
    const email = form.elements.email.value;
    const password = form.elements.password.value;
    if (!email.trim() || !password) {
      state.error = "Enter your e-mail and password.";
      update();
      return;
    }
    state.busy = true;
    state.error = "";
    state.notice = "";
    update();
    try {
      await signIn(auth, email, password);
      // The session watcher takes it from here and replaces this screen.
    } catch (err) {
      state.busy = false;
      state.error = authErrorMessage(err);
      update();
      form.elements.password.select();
    }
  }

  async function google() {
    if (state.busy) return;
    state.busy = true;
    state.error = "";
    update();
    try {
      await signInWithGoogle(auth);
    } catch (err) {
      state.busy = false;
      state.error = authErrorMessage(err);
      update();
    }
  }

  function update() {
    render(
      html`<div class="signin-page">
        <form class="signin card" data-testid="signin" @submit=${submit} novalidate>
          <div class="brand brand-large"><span class="brand-mark" aria-hidden="true"></span>Hearth</div>
          <h1 class="signin-title">Sign in</h1>
          ${state.notice ? html`<p class="signin-notice">${state.notice}</p>` : nothing}
          <label class="field">
            <span>E-mail</span>
            <input name="email" type="email" autocomplete="username" inputmode="email" required autofocus
              ?disabled=${state.busy} />
          </label>
          <label class="field">
            <span>Password</span>
            <input name="password" type="password" autocomplete="current-password" required ?disabled=${state.busy} />
          </label>
          <p class="signin-error" data-testid="signin-error" role="alert" ?hidden=${!state.error}>${state.error}</p>
          <button type="submit" class="button button-primary button-block" ?disabled=${state.busy}>
            ${state.busy ? "Signing in…" : "Sign in"}
          </button>
          ${config.googleSignIn
            ? html`<div class="signin-or"><span>or</span></div>
                <button type="button" class="button button-block" data-testid="signin-google" @click=${google}
                  ?disabled=${state.busy}>Sign in with Google</button>`
            : nothing}
        </form>
      </div>`,
      container,
    );
  }

  update();
  document.title = "Sign in · Hearth";
  return () => render(nothing, container);
}
