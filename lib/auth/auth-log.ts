import { AuthError } from "next-auth";

/**
 * Auth.js's own list of errors a client causes (isClientError in @auth/core): a wrong CSRF token,
 * a used or expired link, a refused OAuth account. Auth.js answers them with its error page.
 */
const CLIENT_ERRORS = new Set([
  "CredentialsSignin",
  "OAuthAccountNotLinked",
  "OAuthCallbackError",
  "AccessDenied",
  "Verification",
  "MissingCSRF",
  "AccountNotLinked",
  "WebAuthnVerificationError",
]);

/**
 * Auth.js's error logger: a client's mistake is one warning line, so the error log holds only our
 * faults (a failing database, a mail server that refuses), with their stack.
 */
export function logAuthError(error: Error): void {
  if (error instanceof AuthError && CLIENT_ERRORS.has(error.type)) {
    console.warn(`[auth][warn] ${error.type}: ${error.message.split("\n")[0]}`);
    return;
  }
  console.error("[auth][error]", error);
}
