import type { Metadata } from "next";
import { z } from "zod";
import { getDb } from "@/db/client";
import { requireAdmin } from "@/lib/auth/current-user";
import { findArticleMeta } from "@/lib/content/articles";
import { slugSchema } from "@/lib/content/slug";
import { env } from "@/lib/env";
import { DEFAULT_GIFT_ALLOWANCE } from "@/lib/gifts/gift-allowance";
import { flaggedGiftLinks, giftStatsByArticle, giftStatsByGifter, listPlanAllowances, livePublisherLink } from "@/lib/admin/gifts/queries";
import { giftPath } from "@/lib/gifts/gift-token";
import { getReadingSettings } from "@/lib/settings";
import { ActionButton } from "../_components/action-button";
import { DataTable } from "../_components/data-table";
import { revokeAllPublisherLinksAction, revokeGiftAction, revokePublisherLinkAction, rotatePublisherLinkAction } from "./actions";
import { GiftSettingsForm } from "./gift-settings-form";
import { GiftTotalsTable } from "./gift-totals-table";
import { PlanAllowanceForm } from "./plan-allowance-form";

export const metadata: Metadata = { title: "Gifts · Admin" };

const articleQuery = z.string().trim().max(300).optional().catch(undefined);

export default async function GiftsAdminPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const db = await getDb();
  const asked = articleQuery.parse((await searchParams).article);
  // A slug or a pasted article address.
  const slug = slugSchema.safeParse(asked?.split("?")[0]?.split("/").filter(Boolean).pop() ?? "");
  const [settings, planAllowances, byArticle, byGifter, flagged, article] = await Promise.all([
    getReadingSettings(),
    listPlanAllowances(db),
    giftStatsByArticle(db),
    giftStatsByGifter(db),
    flaggedGiftLinks(db),
    slug.success ? findArticleMeta(db, slug.data) : Promise.resolve(null),
  ]);
  const link = article ? await livePublisherLink(db, article.id) : null;
  return (
    <section className="admin-page admin-page--wide">
      <h1>Gifts</h1>

      <h2>Publisher link for an article</h2>
      <form method="get" action="/admin/gifts" className="admin-inline-action" aria-label="Find an article">
        <label htmlFor="article">Article slug or address</label> <input id="article" name="article" defaultValue={asked ?? ""} />{" "}
        <button className="button button--secondary button--small" type="submit">
          Show
        </button>
      </form>
      {asked !== undefined && !article && <p role="alert">No article at that address.</p>}
      {article && (
        <div className="admin-card" data-publisher-link>
          <p>
            <strong>{article.title}</strong>: {link ? `live link, opened by ${link.opens} ${link.opens === 1 ? "browser" : "browsers"}` : "no live link"}.
          </p>
          {link && (
            <p className="field">
              <label htmlFor="publisher-link">Link to copy (no expiry, no browser limit)</label>
              <input id="publisher-link" readOnly value={new URL(giftPath(article.slug, link.token), env().SITE_URL).toString()} />
            </p>
          )}
          <ActionButton action={rotatePublisherLinkAction} fields={{ articleId: article.id }} label={link ? "Rotate link" : "Make a link"} pendingLabel="Making…" secondary={false} />
          {link && <ActionButton action={revokePublisherLinkAction} fields={{ articleId: article.id }} label="Revoke link" pendingLabel="Revoking…" />}
        </div>
      )}
      <ActionButton action={revokeAllPublisherLinksAction} fields={{ confirm: "every-publisher-link" }} label="Revoke every publisher link" pendingLabel="Revoking…" />

      <h2>By article</h2>
      <GiftTotalsTable
        caption="Gifts by article"
        first="Article"
        rows={byArticle.map((r) => ({ key: String(r.articleId), name: r.title, href: `/admin/gifts?article=${encodeURIComponent(r.slug)}`, ...r }))}
      />
      <h2>By subscriber</h2>
      <GiftTotalsTable caption="Gifts by subscriber" first="Subscriber" rows={byGifter.map((r) => ({ key: r.userId, name: r.email ?? r.userId, href: `/admin/subscribers/${r.userId}`, ...r }))} />
      <p className="admin-muted">Registrations and subscriptions count readers who signed up within 30 days of opening a gift on that browser.</p>

      <h2>Flagged links</h2>
      <DataTable
        columns={["Article", "From", "Browsers", "Why", "Action"]}
        rows={flagged}
        caption="Flagged links"
        empty="No link has been tried by more browsers than the limit, or opened mostly from one site."
      >
        {(f) => (
          <tr key={f.giftId}>
            <td>{f.articleTitle}</td>
            <td>{f.kind === "publisher" ? "Publisher link" : (f.gifterEmail ?? "—")}</td>
            <td>{f.browsers}</td>
            <td>{f.why}</td>
            <td>{f.revoked ? "Revoked" : <ActionButton action={revokeGiftAction} fields={{ giftId: f.giftId }} label="Revoke" pendingLabel="Revoking…" />}</td>
          </tr>
        )}
      </DataTable>

      <h2>Settings</h2>
      <p>
        Subscribers give as many articles per calendar month (in {env().SITE_TIME_ZONE}) as their plan allows; giving the same article again that month is free, and
        complimentary access gets {DEFAULT_GIFT_ALLOWANCE}.
      </p>
      {planAllowances.map((plan) => (
        <PlanAllowanceForm key={plan.id} plan={plan} />
      ))}
      <GiftSettingsForm validDays={settings.gift.validDays} browserLimit={settings.gift.browserLimit} />
    </section>
  );
}
