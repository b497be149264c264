import { sql } from 'kysely';
import { afterCommit, type Executor } from '../shared/transaction';
import { NOTIFY_CHANNEL } from './notify-payload';

// The NOTIFY that tells every instance which notifications committed goes out after the commit, from one
// sender per database handle, not inside the writing transaction. PostgreSQL queues a transaction's
// NOTIFYs at commit under a database-wide lock that it holds until the commit is flushed to disk, so
// writes that notified committed one at a time, each waiting for the flushes of the ones before it:
// sampled during a burst of replies, most of them waited on that lock (`Lock: object`), and the replies
// ran 2–2.7 times faster without it (docs/PERFORMANCE.md). Here the writes commit together (group
// commit) and the sender carries everything that committed meanwhile in one statement.
//
// What this gives up: PostgreSQL no longer ties the NOTIFY to the commit. If the process dies between
// the two, the rows are committed (lists, counts and e-mails have them) but no instance hears of them;
// a stream gets them when it catches up (on reconnect or resync, from its last sequence number).

interface Sender {
  send(payload: string): void;
  settled(): Promise<void>;
}

const senders = new WeakMap<Executor, Sender>();
const failureReporters = new WeakMap<Executor, (error: unknown, payloads: number) => void>();
const attempts = 3;

/** Announces the notifications of `payload` (a NOTIFY payload) once the caller's work has committed. */
export function announceAfterCommit(executor: Executor, payload: string | null | undefined): void {
  if (!payload) return;
  afterCommit(executor, (db) => senderFor(db).send(payload));
}

/** Resolves when every announcement handed over so far has been sent (or given up): before closing. */
export function announcementsSettled(db: Executor): Promise<void> {
  return senders.get(db)?.settled() ?? Promise.resolve();
}

/** Who hears of announcements given up on `db` (the server logs them: live streams will need to catch up). */
export function reportAnnouncementFailures(
  db: Executor,
  report: (error: unknown, payloads: number) => void,
): void {
  failureReporters.set(db, report);
}

function senderFor(db: Executor): Sender {
  let sender = senders.get(db);
  if (!sender) {
    sender = createSender(db);
    senders.set(db, sender);
  }
  return sender;
}

function createSender(db: Executor): Sender {
  let waiting: string[] = [];
  let running: Promise<void> | null = null;
  const drain = async () => {
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      await sendBatch(db, batch);
    }
    running = null;
  };
  return {
    send(payload) {
      waiting.push(payload);
      running ??= drain();
    },
    settled: () => running ?? Promise.resolve(),
  };
}

/** One statement for the whole batch, in order; retried briefly, then reported and dropped. */
async function sendBatch(db: Executor, batch: string[]): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await sql`select pg_notify(${NOTIFY_CHANNEL}, payload) from unnest(${batch}::text[]) as payload`.execute(
        db,
      );
      return;
    } catch (error) {
      if (attempt === attempts) {
        failureReporters.get(db)?.(error, batch.length);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}
