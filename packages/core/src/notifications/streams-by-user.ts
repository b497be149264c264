import type { HubStream } from './hub-stream';

/** The hub's open streams, found by their recipient. */
export interface StreamsByUser {
  add(stream: HubStream): void;
  remove(stream: HubStream): void;
  of(userId: string): Iterable<HubStream>;
  all(): Iterable<HubStream>;
  readonly size: number;
}

export function createStreamsByUser(): StreamsByUser {
  const streamsByUser = new Map<string, Set<HubStream>>();
  let streamCount = 0;
  return {
    add(stream) {
      let streams = streamsByUser.get(stream.userId);
      if (!streams) {
        streams = new Set();
        streamsByUser.set(stream.userId, streams);
      }
      streams.add(stream);
      streamCount += 1;
    },
    remove(stream) {
      const streams = streamsByUser.get(stream.userId);
      if (!streams?.delete(stream)) return;
      streamCount -= 1;
      if (streams.size === 0) streamsByUser.delete(stream.userId);
    },
    of: (userId) => streamsByUser.get(userId) ?? [],
    *all() {
      for (const streams of streamsByUser.values()) yield* streams;
    },
    get size() {
      return streamCount;
    },
  };
}
