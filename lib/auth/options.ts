import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import { z } from "zod";
import { getDb } from "@/db";
import { authSecret, env } from "@/lib/env";
import { checkCredentials, findUserByEmail } from "./users";

const credentialsSchema = z.object({
  email: z.string().min(1).max(320),
  password: z.string().min(1).max(200),
});

function oauthProviders(): NextAuthOptions["providers"] {
  const e = env();
  const providers: NextAuthOptions["providers"] = [];
  if (e.GITHUB_ID && e.GITHUB_SECRET) {
    providers.push(GitHubProvider({ clientId: e.GITHUB_ID, clientSecret: e.GITHUB_SECRET }));
  }
  if (e.GOOGLE_CLIENT_ID && e.GOOGLE_CLIENT_SECRET) {
    providers.push(
      GoogleProvider({ clientId: e.GOOGLE_CLIENT_ID, clientSecret: e.GOOGLE_CLIENT_SECRET }),
    );
  }
  return providers;
}

/**
 * Admins sign in with a password kept as a bcrypt hash, or with GitHub/Google when those are
 * configured — the latter only for emails that already belong to an admin, so an OAuth account
 * alone never grants access. Sessions are JWTs that expire after ADMIN_SESSION_HOURS.
 */
export function authOptions(): NextAuthOptions {
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: env().ADMIN_SESSION_HOURS * 3600 },
    pages: { signIn: "/signin", error: "/signin" },
    // One line per event instead of stack traces: a forged or expired session cookie is routine.
    // The host comes from the request unless NEXTAUTH_URL is set, so its warning is dropped.
    logger: {
      error: (code, meta) =>
        console.error(
          `[auth] ${code}: ${meta instanceof Error ? meta.message : (meta?.message ?? "")}`,
        ),
      warn: (code) => {
        if (code !== "NEXTAUTH_URL") console.warn(`[auth] ${code}`);
      },
      debug: () => {},
    },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(raw) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const user = await checkCredentials(getDb(), parsed.data.email, parsed.data.password);
          return user ? { id: String(user.id), email: user.email, name: user.name } : null;
        },
      }),
      ...oauthProviders(),
    ],
    callbacks: {
      signIn({ user, account }) {
        if (account?.provider === "credentials") return true;
        return !!user.email && findUserByEmail(getDb(), user.email)?.role === "admin";
      },
      jwt({ token, user }) {
        if (user?.email) token.email = user.email.toLowerCase();
        return token;
      },
      session({ session, token }) {
        if (session.user && typeof token.email === "string") session.user.email = token.email;
        return session;
      },
    },
  };
}
