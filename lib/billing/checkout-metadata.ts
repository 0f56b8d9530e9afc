/** Marks a subscription bought with an offer (subscription metadata): which offer, for our row and the admin's counts. */
export const OFFER_METADATA_KEY = "masthead_offer_id";
