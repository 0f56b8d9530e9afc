import type { Metadata } from "next";

export const metadata: Metadata = { title: "Sign-in problem" };

const MESSAGES: Record<string, { title: string; body: string }> = {
  Verification: {
    title: "This sign-in link no longer works",
    body: "Links work once and expire after an hour. Ask for a new one and use the newest email.",
  },
  ConfirmEmailFirst: {
    title: "Confirm your email address first",
    body: "This browser is signed in to an account made at checkout, whose email address is not confirmed yet. Open the sign-in link we emailed to that address; then you can sign in with another method.",
  },
  AccessDenied: { title: "Sign-in was refused", body: "This account cannot sign in here." },
  Configuration: { title: "Sign-in is not available", body: "Something is wrong with this site's sign-in set-up. Please try again later." },
};

export default async function SignInErrorPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const code = (await searchParams).error;
  const message = (typeof code === "string" && MESSAGES[code]) || {
    title: "We could not sign you in",
    body: "Please ask for a new sign-in link.",
  };
  return (
    <section className="page page--narrow">
      <h1>{message.title}</h1>
      <p>{message.body}</p>
      <p>
        <a className="button" href="/signin">
          Get a new sign-in link
        </a>
      </p>
    </section>
  );
}
