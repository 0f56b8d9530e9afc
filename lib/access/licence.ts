/** An organisation's licence as it reaches the decision: through a seat the reader holds, or the address they read from. */
export interface Licence {
  organisationId: number;
  organisationName: string;
  via: "seat" | "address";
  termStart: Date;
  /** Exclusive: the licence reads until this instant, not at it. */
  termEnd: Date;
}

/** Whether the licence's term runs at `now`. */
export function licenceRuns(licence: Licence, now: Date): boolean {
  return licence.termStart.getTime() <= now.getTime() && now.getTime() < licence.termEnd.getTime();
}

/** The first licence whose term runs now (seats before addresses, as given), or null. */
export function runningLicence(licences: ReadonlyArray<Licence | null>, now: Date): Licence | null {
  return licences.find((l): l is Licence => l !== null && licenceRuns(l, now)) ?? null;
}
