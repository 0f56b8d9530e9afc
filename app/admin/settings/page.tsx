import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { settingsView } from "@/lib/admin/settings-view";
import { requireAdmin } from "@/lib/auth/current-user";
import { SettingsForm } from "./settings-form";

export const metadata: Metadata = { title: "Settings · Admin" };

export default async function SettingsPage() {
  await requireAdmin();
  const settings = await settingsView(await getDb());
  return (
    <section className="admin-page">
      <h1>Meter and paywall</h1>
      <p>Changes apply from the next page view, on every server, without a restart.</p>
      {/* Keyed by what is stored, so the form shows the saved values after a save. */}
      <SettingsForm key={settings.map((s) => s.stored).join("\u0000")} settings={settings} />
    </section>
  );
}
