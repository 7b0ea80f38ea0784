"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { safeCallbackPath } from "@/lib/auth/callback-url";

const WRONG = "That email and password do not match an admin account.";

/**
 * next-auth's password sign-in (its CSRF token, then the credentials callback), done by hand
 * rather than with signIn() so a 429 from the throttle reaches the user with its wait time.
 * Resolves to null on success, else to the message to show.
 */
async function passwordSignIn(
  email: string,
  password: string,
  callbackUrl: string,
): Promise<string | null> {
  try {
    const csrf = await fetch("/api/auth/csrf", { cache: "no-store" });
    const { csrfToken } = (await csrf.json()) as { csrfToken?: string };
    const res = await fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        email,
        password,
        csrfToken: csrfToken ?? "",
        callbackUrl,
        json: "true",
      }),
    });
    const body = (await res.json().catch(() => ({}))) as { url?: string; error?: string };
    // Success sends us to the callback URL; anything else (an error page, a CSRF retry) is not.
    const next = body.url ? new URL(body.url, window.location.origin) : undefined;
    if (res.ok && next && `${next.pathname}${next.search}${next.hash}` === callbackUrl) return null;
    if (res.status === 401 || res.status === 403) return WRONG;
    if (next?.searchParams.has("csrf"))
      return "The sign-in form expired. Reload the page and try again.";
    return body.error ?? `Sign-in failed (the server answered ${res.status}). Please try again.`;
  } catch {
    return "Could not reach the server: check your connection and try again.";
  }
}

export function SignInForm(props: {
  callbackUrl: string;
  error?: string;
  providers: { id: string; name: string }[];
  /** The session cookie is `Secure` (COOKIE_SECURE): browsers drop it over plain HTTP. */
  secureCookies: boolean;
}) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState(props.error);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setPending(true);
    setError(undefined);
    // Browsers keep Secure cookies only in a secure context: HTTPS, or this machine itself.
    if (props.secureCookies && !window.isSecureContext) {
      setPending(false);
      setError(
        "This arena sets Secure cookies, which browsers refuse over plain HTTP, so sign-in cannot stick. Open it over HTTPS, or have the operator set COOKIE_SECURE=0.",
      );
      return;
    }
    const form = new FormData(e.currentTarget);
    // The page already cleaned it; the form applies the same rule before navigating anywhere.
    const target = safeCallbackPath(props.callbackUrl, { origin: window.location.origin });
    const failure = await passwordSignIn(
      String(form.get("email") ?? ""),
      String(form.get("password") ?? ""),
      target,
    );
    if (failure === null) {
      window.location.assign(target);
      return;
    }
    setPending(false);
    setError(failure);
  }

  return (
    <div className="flex flex-col gap-4">
      {error && (
        <p
          role="alert"
          data-testid="signin-error"
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
        >
          {error}
        </p>
      )}
      <form onSubmit={onSubmit} className="flex flex-col gap-3" data-testid="signin-form">
        <label className="flex flex-col gap-1 text-sm font-medium">
          Email
          <input name="email" type="email" autoComplete="username" required className="input" />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            className="input"
          />
        </label>
        <button type="submit" disabled={pending} className="btn-primary mt-2">
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {props.providers.map((p) => (
        <button
          key={p.id}
          type="button"
          className="btn"
          onClick={() =>
            void signIn(p.id, {
              callbackUrl: safeCallbackPath(props.callbackUrl, { origin: window.location.origin }),
            })
          }
        >
          Continue with {p.name}
        </button>
      ))}
    </div>
  );
}
