import type { NotifyPayload } from './notify-payload';

/**
 * Runs `deliver` on the NOTIFYs handed to the returned function, one batch at a time, in arrival order.
 * NOTIFYs that arrive while a delivery query runs (or waits for a pooled connection) wait here and go out
 * together in the next batch: under a burst of writes the hub runs one query per round, not one per
 * NOTIFY, so live delivery keeps up instead of falling further behind. The returned promise resolves once
 * the batch holding this payload was delivered (or failed, and `onFailure` heard of it).
 */
export function batchNotifies(
  deliver: (batch: NotifyPayload[]) => Promise<void>,
  onFailure: (error: unknown) => void,
): (payload: NotifyPayload) => Promise<void> {
  let pending: NotifyPayload[] = [];
  let draining: Promise<void> | null = null;

  async function drain() {
    try {
      while (pending.length > 0) {
        const batch = pending;
        pending = [];
        try {
          await deliver(batch);
        } catch (error) {
          onFailure(error);
        }
      }
    } finally {
      // Cleared in the same turn as the loop's last check: a NOTIFY arriving later starts a new drain.
      draining = null;
    }
  }

  return (payload) => {
    pending.push(payload);
    draining ??= drain();
    return draining;
  };
}
