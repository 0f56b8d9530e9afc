import type { Metadata } from "next";
import { requireAdmin } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Admin", robots: { index: false } };

// Every admin page is checked on the server; pages check again, as must every action and handler.
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await requireAdmin();
  return <div className="admin">{children}</div>;
}
