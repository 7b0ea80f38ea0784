/**
 * Long jobs (an import, its clean-up) share the server's one event loop with the voters. They
 * work in slices of a few milliseconds and yield between slices, so a vote waits behind at most
 * one slice instead of the whole job.
 */

/** How long one slice may hold the event loop: a few votes' worth, far under the 100 ms budget. */
export const SLICE_MS = 10;

/**
 * Resolves on a later turn of the event loop (setImmediate runs after the I/O poll), so requests
 * that arrived meanwhile are handled before the job goes on. A resolved promise would not do:
 * microtasks run before any I/O.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** `past()` turns true once `ms` have passed since the slice began. */
export function sliceDeadline(ms = SLICE_MS): { past(): boolean } {
  const end = performance.now() + ms;
  return { past: () => performance.now() >= end };
}

/**
 * Yields whenever `ms` have passed since the last yield: for loops that must stay one loop (a
 * stream being parsed) but may pause. `await pacer.pace()` costs a clock read when no pause is due.
 */
export function pacer(ms = SLICE_MS): { pace(): Promise<void> | undefined } {
  let deadline = sliceDeadline(ms);
  return {
    pace() {
      if (!deadline.past()) return undefined;
      return yieldToEventLoop().then(() => {
        deadline = sliceDeadline(ms);
      });
    },
  };
}
