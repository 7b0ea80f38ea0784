import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import { z } from "zod";
import { getDb } from "@/db";
import { authSecret, env } from "@/lib/env";
import { safeCallbackPath } from "./callback-url";
import { createAdminSession, isActiveAdminSession, revokeAdminSession } from "./sessions";
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
 * alone never grants access. The session cookie is a JWT naming a row of admin_sessions, which
 * expires ADMIN_SESSION_HOURS after sign-in and is revoked by signing out. Served through
 * lib/auth/route.ts, which gives next-auth its base URL, the body cap and the sign-in throttle.
 */
export function authOptions(): NextAuthOptions {
  const e = env();
  const maxAge = e.ADMIN_SESSION_HOURS * 3600;
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge },
    useSecureCookies: e.cookieSecure,
    pages: { signIn: "/signin", error: "/signin" },
    // One line per event instead of stack traces: a forged or expired session cookie is routine.
    logger: {
      error: (code, meta) =>
        console.error(
          `[auth] ${code}: ${meta instanceof Error ? meta.message : (meta?.message ?? "")}`,
        ),
      warn: (code) => console.warn(`[auth] ${code}`),
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
          const user = await checkCredentials(
            await getDb(),
            parsed.data.email,
            parsed.data.password,
          );
          return user ? { id: String(user.id), email: user.email, name: user.name } : null;
        },
      }),
      ...oauthProviders(),
    ],
    callbacks: {
      async signIn({ user, account }) {
        if (account?.provider === "credentials") return true;
        if (!user.email) return false;
        return (await findUserByEmail(await getDb(), user.email))?.role === "admin";
      },
      // Sign-in opens a server-side session; every later use of the token (the session
      // endpoint) fails once that session is revoked or expired, and next-auth then clears
      // the cookie.
      async jwt({ token, user }) {
        const db = await getDb();
        if (user?.email) {
          const email = user.email.toLowerCase();
          return { ...token, email, sid: await createAdminSession(db, email, maxAge * 1000) };
        }
        const { email, sid } = token;
        if (typeof email !== "string" || typeof sid !== "string")
          throw new Error("a session token from before server-side sessions");
        if (!(await isActiveAdminSession(db, sid, email)))
          throw new Error("the session was signed out or has expired");
        return token;
      },
      session({ session, token }) {
        if (session.user && typeof token.email === "string") session.user.email = token.email;
        return session;
      },
      // Only paths on this arena: a callbackUrl naming another site goes to the home page.
      redirect({ url, baseUrl }) {
        return `${baseUrl}${safeCallbackPath(url, { origin: baseUrl, fallback: "/" })}`;
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid === "string") await revokeAdminSession(await getDb(), token.sid);
      },
    },
  };
}
