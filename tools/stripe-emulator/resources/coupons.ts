/** /v1/coupons: create, retrieve, update (name, metadata), list, delete. */
import type Stripe from "stripe";
import { z } from "zod";
import type { ApiHandler } from "../context";
import { invalidRequest } from "../errors";
import { emit, emitUpdate, storeCreated } from "../events";
import { expand } from "../expand";
import { newCouponId } from "../ids";
import { applyMetadata, currencyParam, expandParam, initialMetadata, intParam, listParams, metadataParam, parseParams, rangeParam, stringParam } from "../params";
import { render } from "../render";
import { listHandler, mustGet, pathId, retrieveHandler } from "./common";

const percent = z.preprocess(
  (value) => (typeof value === "string" && /^\d{1,3}(\.\d{1,2})?$/.test(value) ? Number(value) : value),
  z.number({ error: "Invalid decimal" }).gt(0).max(100),
);

const createSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, { error: "Invalid coupon id" }).optional(),
  name: stringParam.max(40).optional(),
  percent_off: percent.optional(),
  amount_off: intParam.pipe(z.number().min(1).max(99_999_999)).optional(),
  currency: currencyParam.optional(),
  duration: z.enum(["once", "repeating", "forever"]).optional(),
  duration_in_months: intParam.pipe(z.number().min(1).max(120)).optional(),
  max_redemptions: intParam.pipe(z.number().min(1)).optional(),
  redeem_by: intParam.optional(),
  metadata: metadataParam.optional(),
  expand: expandParam,
});

const updateSchema = z.strictObject({ name: stringParam.max(40).optional(), metadata: metadataParam.optional(), expand: expandParam });
const listSchema = z.strictObject({ ...listParams, created: rangeParam });

export const create: ApiHandler = (em, { params }) => {
  const p = parseParams(createSchema, params);
  const state = em.store.state;
  if ((p.percent_off === undefined) === (p.amount_off === undefined)) throw invalidRequest("You must specify either percent_off or amount_off (not both).", "percent_off");
  if (p.amount_off !== undefined && p.currency === undefined) throw invalidRequest("You must specify currency when using amount_off.", "currency", "parameter_missing");
  const duration = p.duration ?? "once";
  if ((duration === "repeating") !== (p.duration_in_months !== undefined)) {
    throw invalidRequest("duration_in_months is required with duration=repeating and only allowed with it.", "duration_in_months");
  }
  if (p.redeem_by !== undefined && p.redeem_by <= em.clock.now()) throw invalidRequest("redeem_by must be in the future.", "redeem_by");
  const id = p.id ?? newCouponId();
  if (Object.hasOwn(state.coupons, id)) throw invalidRequest("Coupon already exists.", "id", "resource_already_exists");
  const coupon: Stripe.Coupon = {
    id,
    object: "coupon",
    amount_off: p.amount_off ?? null,
    created: em.clock.now(),
    currency: p.amount_off !== undefined ? (p.currency ?? null) : null,
    duration,
    duration_in_months: p.duration_in_months ?? null,
    livemode: false,
    max_redemptions: p.max_redemptions ?? null,
    metadata: initialMetadata(p.metadata),
    name: p.name ?? null,
    percent_off: p.percent_off ?? null,
    redeem_by: p.redeem_by ?? null,
    times_redeemed: 0,
    valid: true,
  };
  storeCreated(em, "coupon.created", state.coupons, coupon);
  return expand(em, render(em, coupon), p.expand);
};

export const retrieve = retrieveHandler((state) => state.coupons, "coupon");

export const update: ApiHandler = (em, { params, path }) => {
  const coupon = mustGet(em.store.state.coupons, pathId(path), "coupon");
  const p = parseParams(updateSchema, params);
  emitUpdate(em, "coupon.updated", coupon, () => {
    if (p.name !== undefined) coupon.name = p.name === "" ? null : p.name;
    coupon.metadata = applyMetadata(coupon.metadata ?? {}, p.metadata);
  });
  return expand(em, render(em, coupon), p.expand);
};

export const list = listHandler(listSchema, "coupons", { url: "/v1/coupons", kind: "coupon" });

/** Deleting a coupon stops new redemptions; discounts already made from it keep applying. */
export const remove: ApiHandler = (em, { path }) => {
  const coupon = mustGet(em.store.state.coupons, pathId(path), "coupon");
  coupon.valid = false;
  emit(em, "coupon.deleted", render(em, coupon));
  const deleted: Stripe.DeletedCoupon = { id: coupon.id, object: "coupon", deleted: true };
  return deleted;
};
