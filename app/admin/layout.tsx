import type { Metadata } from "next";
import Link from "next/link";
import { requireAdmin } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Admin", robots: { index: false } };

const SECTIONS = [
  { href: "/admin", label: "Dashboard" },
  { href: "/admin/attribution", label: "Attribution" },
  { href: "/admin/experiments", label: "Experiments" },
  { href: "/admin/segments", label: "Segments" },
  { href: "/admin/plans", label: "Plans" },
  { href: "/admin/offers", label: "Offers" },
  { href: "/admin/articles", label: "Articles" },
  { href: "/admin/subscribers", label: "Subscribers" },
  { href: "/admin/gifts", label: "Gifts" },
  { href: "/admin/organisations", label: "Organisations" },
  { href: "/admin/gift-subscriptions", label: "Gift subscriptions" },
  { href: "/admin/newsletters", label: "Newsletters" },
  { href: "/admin/webhooks", label: "Webhooks" },
  { href: "/admin/settings", label: "Settings" },
  { href: "/admin/audit", label: "Audit log" },
  { href: "/admin/trace", label: "Access trace" },
  { href: "/admin/leak-audit", label: "Leak audit" },
  { href: "/admin/money-audit", label: "Money audit" },
] as const;

// Every admin page is checked on the server; pages check again, as must every action and handler.
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await requireAdmin();
  return (
    <div className="admin">
      <nav className="admin-nav" aria-label="Admin">
        <ul role="list">
          {SECTIONS.map((section) => (
            <li key={section.href}>
              <Link href={section.href} prefetch={false}>
                {section.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {children}
    </div>
  );
}
