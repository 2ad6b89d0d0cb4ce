/**
 * The lifecycle of a resource the world creates and deletes on the virtual clock: being created
 * until `readyAt`, ready, being deleted from `deletingAt`; each service names the phases its way.
 */
export interface Lifecycle {
  readyAt: number;
  deletingAt?: number | undefined;
}

export type Phase = "creating" | "ready" | "deleting";

export function phase(r: Lifecycle, now: number): Phase {
  if (r.deletingAt !== undefined && r.deletingAt <= now) return "deleting";
  return r.readyAt <= now ? "ready" : "creating";
}

/** The status a service reports for `r` at `now`, given its names of the three phases. */
export function lifecycleStatus<S extends string>(r: Lifecycle, now: number, names: Record<Phase, S>): S {
  return names[phase(r, now)];
}

/** RDS instances and clusters, EFS file systems and mount targets. */
export const AVAILABLE = { creating: "creating", ready: "available", deleting: "deleting" } as const;
