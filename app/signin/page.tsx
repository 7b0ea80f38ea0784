import type { Metadata } from "next";
import { headers } from "next/headers";
import { SignInForm } from "@/components/admin/sign-in-form";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { env } from "@/lib/env";
import { requestOrigin } from "@/lib/http/origin";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const ERRORS: Record<string, string> = {
  CredentialsSignin: "That email and password do not match an admin account.",
  AccessDenied: "This account is not an admin of this arena.",
  SessionRequired: "Please sign in to continue.",
};

export default async function SignInPage({ searchParams }: PageProps<"/signin">) {
  const params = await searchParams;
  const origin = requestOrigin(await headers()) ?? undefined;
  const callbackUrl = safeCallbackPath(params.callbackUrl, { origin });
  const error =
    typeof params.error === "string"
      ? (ERRORS[params.error] ?? "Sign-in failed. Please try again.")
      : undefined;
  const e = env();
  const providers = [
    ...(e.GITHUB_ID && e.GITHUB_SECRET ? [{ id: "github", name: "GitHub" }] : []),
    ...(e.GOOGLE_CLIENT_ID && e.GOOGLE_CLIENT_SECRET ? [{ id: "google", name: "Google" }] : []),
  ];
  return (
    <div className="mx-auto max-w-sm py-8">
      <h1 className="mb-1 text-xl font-semibold">Admin sign-in</h1>
      <p className="mb-6 text-sm text-zinc-600 dark:text-zinc-400">
        Voting needs no account; this is for the people who run the arena.
      </p>
      <SignInForm
        callbackUrl={callbackUrl}
        error={error}
        providers={providers}
        secureCookies={e.cookieSecure}
      />
    </div>
  );
}
