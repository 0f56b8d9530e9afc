import type { Metadata } from "next";
import { DataTable } from "@/app/admin/_components/data-table";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { myGifts } from "@/lib/gifts/my-gifts";
import { giftsLeftLine } from "@/lib/gifts/gift-pages";

export const metadata: Metadata = { title: "Your gifts" };

export default async function GiftsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser("/account/gifts");
  const timeZone = env().SITE_TIME_ZONE;
  const now = new Date();
  const { left, nextBatch, gifts } = await myGifts(await getDb(), user.id, now, timeZone);
  const day = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone });
  const revoked = (await searchParams).revoked === "1";
  return (
    <section className="page">
      <h1>Your gifts</h1>
      {revoked && <p className="form-message" role="status">The link is revoked: it no longer opens the article.</p>}
      <p data-gifts-left={left ?? 0}>{left === null ? "Gifts are for subscribers." : giftsLeftLine(left, nextBatch, timeZone)}</p>
      <DataTable
        columns={["Article", "Given", "Browsers", "Status", <span key="revoke" className="visually-hidden">Revoke</span>]}
        rows={gifts}
        empty={
          left === null ? (
            <p>
              Subscribers can give articles away to anyone, free to read. <a href="/subscribe">Subscribe</a> to give your first.
            </p>
          ) : (
            "You have not given any articles yet. Choose “Gift this article” under any article."
          )
        }
        className="gifts-table"
      >
        {(gift) => {
          const live = !gift.revokedAt && (!gift.expiresAt || gift.expiresAt > now);
          return (
            <tr key={gift.id} data-gift={gift.id}>
              <td>
                <a href={`/articles/${gift.slug}`}>{gift.title}</a>
              </td>
              <td>{day.format(gift.createdAt)}</td>
              <td>{gift.opens}</td>
              <td>{gift.revokedAt ? "Revoked" : live ? `Until ${day.format(gift.expiresAt!)}` : "Expired"}</td>
              <td>
                {live && (
                  <form method="post" action="/account/gifts/revoke">
                    <input type="hidden" name="gift" value={gift.id} />
                    <button className="button button--secondary button--small" type="submit" aria-label={`Revoke the gift of ${gift.title}`}>
                      Revoke
                    </button>
                  </form>
                )}
              </td>
            </tr>
          );
        }}
      </DataTable>
    </section>
  );
}
