import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/current-user";
import { signOutEverywhere, signOutHere } from "./actions";

export const metadata: Metadata = { title: "Your account" };

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });

export default async function AccountPage() {
  const user = await requireUser("/account");
  return (
    <section className="page">
      <h1>Your account</h1>
      <dl className="facts">
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Member since</dt>
        <dd>{dateFormat.format(user.createdAt)}</dd>
        <dt>Plan</dt>
        <dd>
          Free account. <a href="/subscribe">Subscribe for unlimited access</a>
        </dd>
      </dl>
      <h2>Sign out</h2>
      <div className="actions">
        <form action={signOutHere}>
          <button className="button button--secondary" type="submit">
            Sign out
          </button>
        </form>
        <form action={signOutEverywhere}>
          <button className="button button--secondary" type="submit">
            Sign out of all devices
          </button>
        </form>
      </div>
    </section>
  );
}
