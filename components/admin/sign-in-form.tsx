"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";

export function SignInForm(props: {
  callbackUrl: string;
  error?: string;
  providers: { id: string; name: string }[];
}) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState(props.error);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setPending(true);
    setError(undefined);
    const form = new FormData(e.currentTarget);
    const res = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
      callbackUrl: props.callbackUrl,
    });
    if (res?.ok && !res.error) {
      window.location.assign(props.callbackUrl);
      return;
    }
    setPending(false);
    setError("That email and password do not match an admin account.");
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
          onClick={() => void signIn(p.id, { callbackUrl: props.callbackUrl })}
        >
          Continue with {p.name}
        </button>
      ))}
    </div>
  );
}
