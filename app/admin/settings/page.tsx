import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { siteSettingsView } from "@/lib/admin/settings/queries";
import { requireAdmin } from "@/lib/auth/current-user";
import { SiteSettingsForm } from "./settings-form";

export const metadata: Metadata = { title: "Settings · Admin" };

export default async function SettingsPage() {
  await requireAdmin();
  const settings = await siteSettingsView(await getDb());
  return (
    <section className="admin-page">
      <h1>Meter and paywall</h1>
      <p>Changes apply from the next page view, on every server, without a restart.</p>
      {/* After a save the action refreshes this page: the form resets to the values now stored. */}
      <SiteSettingsForm settings={settings} />
    </section>
  );
}
