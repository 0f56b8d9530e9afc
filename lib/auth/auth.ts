import "server-only";
import NextAuth, { type NextAuthConfig } from "next-auth";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import Nodemailer from "next-auth/providers/nodemailer";
import { getDb } from "@/db/client";
import { announceChange } from "@/lib/cache/invalidation";
import { env } from "@/lib/env";
import { serverSecret } from "@/lib/server-secret";
import { mastheadAdapter } from "./adapter";
import { logAuthError } from "./auth-log";
import { onSignedIn } from "./on-signed-in";
import { recordRegistration } from "./registration";
import { signInAllowed } from "./sign-in-rule";
import { sendSignInLink, SIGN_IN_LINK_MINUTES } from "./sign-in-link";

/** Which sign-in methods this deployment offers: email when SMTP is set, OAuth when configured. */
export function enabledProviders() {
  const e = env();
  return {
    email: !!e.EMAIL_SERVER,
    github: !!(e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET),
    google: !!(e.AUTH_GOOGLE_ID && e.AUTH_GOOGLE_SECRET),
  };
}

/**
 * Whether an OAuth sign-in proves the address: Google says so per address (`email_verified`);
 * GitHub gives only an address its owner has verified there (public or primary).
 */
function oauthEmailVerified(account: { type: string; provider: string } | null | undefined, profile: { email_verified?: unknown } | undefined): boolean {
  if (account?.type !== "oauth" && account?.type !== "oidc") return false;
  return account.provider === "github" || profile?.email_verified === true;
}

/** The configuration for one request (Auth.js's route handlers pass it; its server-side signIn does not). */
export async function authConfig(request?: Request): Promise<NextAuthConfig> {
  const e = env();
  const enabled = enabledProviders();
  return {
    adapter: mastheadAdapter(await getDb()),
    basePath: "/api/auth",
    secret: serverSecret(),
    // Links and redirects are built from SITE_URL (see sign-in-link.ts), never from a Host header.
    trustHost: true,
    session: { strategy: "database", maxAge: 30 * 24 * 3600, updateAge: 24 * 3600 },
    providers: [
      ...(enabled.email
        ? [
            Nodemailer({
              server: e.EMAIL_SERVER,
              from: e.EMAIL_FROM,
              maxAge: SIGN_IN_LINK_MINUTES * 60,
              sendVerificationRequest: ({ identifier, url }) => sendSignInLink(identifier, url),
            }),
          ]
        : []),
      ...(enabled.github ? [GitHub({ clientId: e.AUTH_GITHUB_ID, clientSecret: e.AUTH_GITHUB_SECRET })] : []),
      ...(enabled.google ? [Google({ clientId: e.AUTH_GOOGLE_ID, clientSecret: e.AUTH_GOOGLE_SECRET })] : []),
    ],
    logger: { error: logAuthError },
    pages: { signIn: "/signin", verifyRequest: "/signin/check-email", error: "/signin/error" },
    callbacks: {
      signIn: ({ account }) => signInAllowed(account, request),
    },
    events: {
      // A new free account (never one a checkout or a newsletter confirmation created: those insert their own).
      createUser: async ({ user }) => {
        if (user.id) await recordRegistration(user.id);
      },
      signIn: async ({ user, account, profile }) => {
        if (user.id) await onSignedIn(user.id, { oauthEmailVerified: oauthEmailVerified(account, profile) });
      },
      // The session row is gone; make sure no instance keeps serving it from cache.
      signOut: async (message) => {
        const userId = "session" in message ? message.session?.userId : undefined;
        if (userId) await announceChange(await getDb(), "readers", userId);
      },
    },
  };
}

// Auth.js must reach the same origin the links in our emails point at.
process.env.AUTH_URL ??= `${env().SITE_URL}/api/auth`;

export const { handlers, signIn, signOut } = NextAuth(authConfig);
