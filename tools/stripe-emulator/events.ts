/** Creates Stripe events for state changes, stores them and hands them to the webhook dispatcher. */
import type Stripe from "stripe";
import { API_VERSION, type Emulator } from "./context";
import { newId } from "./ids";
import { render, type Renderable } from "./render";

export type EventType = Stripe.Event["type"];
export type EventOf<T extends EventType> = Extract<Stripe.Event, { type: T }>;
export type EventObject<T extends EventType> = EventOf<T>["data"]["object"];

export function emit<T extends EventType>(
  em: Emulator,
  type: T,
  object: EventObject<T>,
  previousAttributes?: Partial<EventObject<T>>,
): Stripe.Event {
  const data: Stripe.Event.Data = { object: structuredClone(object) as Stripe.Event.Data.Object };
  if (previousAttributes !== undefined) {
    data.previous_attributes = structuredClone(previousAttributes) as Stripe.Event.Data.PreviousAttributes;
  }
  const event = {
    id: newId("event"),
    object: "event",
    api_version: API_VERSION,
    created: em.clock.now(),
    data,
    livemode: false,
    pending_webhooks: 0,
    request: em.request ? { id: em.request.id, idempotency_key: em.request.idempotency_key } : { id: null, idempotency_key: null },
    type,
  } as Stripe.Event;
  event.pending_webhooks = em.webhooks.enqueue(event);
  em.store.state.events[event.id] = event;
  em.store.changed();
  return event;
}

/** A new object: kept in its collection under its id and announced by its `.created` event (which saves). */
export function storeCreated<T extends EventType, O extends EventObject<T> & Renderable & { id: string }>(em: Emulator, type: T, collection: Record<string, O>, object: O): O {
  collection[object.id] = object;
  // render gives a copy of the same O, which the signature ties to the event's object type.
  emit(em, type, render(em, object) as unknown as EventObject<T>);
  return object;
}

/** The keys of `before` whose values differ in `after` (Stripe's `previous_attributes`). */
export function changedAttributes<T extends object>(before: T, after: T): Partial<T> {
  const previous: Partial<T> = {};
  for (const key of Object.keys(before) as Array<keyof T>) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) previous[key] = before[key];
  }
  return previous;
}

/** Records a change to a stored object: runs `mutate`, then emits `type` (and saves) if anything moved. */
export function emitUpdate<T extends EventType>(
  em: Emulator,
  type: T,
  object: EventObject<T> & Renderable,
  mutate: () => void,
  // The object as it was when an update that also does other work began (one event for all of it).
  before: Renderable = render(em, object),
): void {
  mutate();
  const after = render(em, object);
  const previous = changedAttributes(before, after);
  if (Object.keys(previous).length > 0) emit(em, type, after as EventObject<T>, previous as Partial<EventObject<T>>);
}
