import { requireAdmin } from "@/lib/auth/current-user";

export default async function AdminHome() {
  const admin = await requireAdmin();
  return (
    <section className="page">
      <h1>Admin</h1>
      <p>Signed in as {admin.email}. Plans, articles, subscribers and revenue will be managed here.</p>
    </section>
  );
}
