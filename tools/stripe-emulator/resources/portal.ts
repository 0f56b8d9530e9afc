/** /v1/billing_portal/sessions: create a session whose `url` is the emulator's portal page, showing what its configuration allows. */
import type Stripe from "stripe";
import { z } from "zod";
import type { ApiHandler } from "../context";
import { expand } from "../expand";
import { newId } from "../ids";
import { expandParam, nonEmptyString, parseParams, stringParam } from "../params";
import { render } from "../render";
import { invalidRequest } from "../errors";
import { mustGet } from "./common";
import { defaultConfiguration } from "./portal-configurations";

const url = z.string().max(5000).refine((value) => /^https?:\/\/[^\s]+$/.test(value), { error: "Not a valid URL" });

const createSchema = z.strictObject({
  customer: nonEmptyString,
  return_url: url.optional(),
  configuration: stringParam.optional(),
  locale: stringParam.optional(),
  on_behalf_of: stringParam.optional(),
  // Accepted and ignored: the emulator's portal always shows everything.
  flow_data: z.unknown().optional(),
  expand: expandParam,
});

export const create: ApiHandler = (em, { params }) => {
  const p = parseParams(createSchema, params);
  mustGet(em.store.state.customers, p.customer, "customer", "customer", 400);
  const configuration = p.configuration
    ? mustGet(em.store.state.portal_configurations, p.configuration, "billing_portal.configuration", "configuration", 400)
    : defaultConfiguration(em);
  if (!configuration.active) throw invalidRequest(`The configuration ${configuration.id} is not active.`, "configuration");
  const id = newId("portalSession");
  const session: Stripe.BillingPortal.Session = {
    id,
    object: "billing_portal.session",
    configuration: configuration.id,
    created: em.clock.now(),
    customer: p.customer,
    customer_account: null,
    flow: null,
    livemode: false,
    locale: null,
    on_behalf_of: null,
    return_url: p.return_url ?? configuration.default_return_url,
    url: `${em.baseUrl}/p/session/${id}`,
  };
  em.store.state.portal_sessions[id] = session;
  em.store.changed();
  return expand(em, render(em, session), p.expand);
};
