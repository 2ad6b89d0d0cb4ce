/**
 * The world's time-ordered event queue: whatever finishes at a known virtual time (the next copy
 * of an ongoing backup, a restore job's resource, a stack's instances, a deletion that ends, a
 * volume that detaches) is scheduled here once, when it is started, and settled when the clock
 * has passed it. A call costs O(log n) per event that is due, not a scan of every resource.
 * Events due at the same millisecond run in the order they were scheduled.
 */

export type ScheduledAction = (at: number) => void;

interface Entry {
  at: number;
  seq: number;
  run: ScheduledAction;
}

const before = (a: Entry, b: Entry): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** A binary min-heap of actions keyed by virtual time (epoch ms). */
export class EventQueue {
  private readonly heap: Entry[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** The time of the earliest pending action, if any. */
  nextAt(): number | undefined {
    return this.heap[0]?.at;
  }

  /** Runs `run(at)` once the clock has reached `at`. */
  schedule(at: number, run: ScheduledAction): void {
    if (!Number.isFinite(at)) throw new RangeError(`event time must be finite, got ${at}`);
    const h = this.heap;
    h.push({ at, seq: this.seq++, run });
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i] as Entry, h[parent] as Entry)) break;
      [h[i], h[parent]] = [h[parent] as Entry, h[i] as Entry];
      i = parent;
    }
  }

  /**
   * Runs every action due by `now`, earliest first; actions may schedule more (those due by `now`
   * run in the same call). Returns how many ran.
   */
  runDue(now: number): number {
    let ran = 0;
    for (;;) {
      const top = this.heap[0];
      if (top === undefined || top.at > now) return ran;
      this.pop();
      top.run(top.at);
      ran += 1;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop() as Entry;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l] as Entry, h[m] as Entry)) m = l;
      if (r < h.length && before(h[r] as Entry, h[m] as Entry)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m] as Entry, h[i] as Entry];
      i = m;
    }
  }
}

/** What schedules: the world (WorldCore.schedule). */
export interface Scheduler {
  schedule(at: number, run: ScheduledAction): void;
}

/**
 * Removes `entity` from `map` once it is gone: at its goneAt (plus `visibleMs`, e.g. terminated
 * instances stay visible for a while). If goneAt moved later meanwhile, it waits again.
 */
export function removeWhenGone<T extends { goneAt?: number }>(
  w: Scheduler,
  map: Map<string, T>,
  key: string,
  entity: T,
  visibleMs = 0,
): void {
  if (entity.goneAt === undefined) return;
  w.schedule(entity.goneAt + visibleMs, function check(at) {
    if (map.get(key) !== entity || entity.goneAt === undefined) return;
    const due = entity.goneAt + visibleMs;
    if (due <= at) map.delete(key);
    else w.schedule(due, check);
  });
}
