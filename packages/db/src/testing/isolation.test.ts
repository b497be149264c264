import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { abandonedDatabases, isAbandoned, markerComment, type RunMarker, testServerUrl } from './index';

const day = 24 * 60 * 60 * 1000;
const now = Date.now();
const deadPid = 2 ** 22 + 17; // above Linux's pid_max default range: never a live process here
const alive = (pid: number) => pid === process.pid;

describe('test database isolation: which databases a run may drop', () => {
  it('given a database of another host, then it is never dropped, even if its pid is unknown here', () => {
    expect(
      isAbandoned({ host: `${hostname()}-elsewhere`, pid: deadPid, startedAt: now - 2 * day }, now, alive),
    ).toBe(false);
  });

  it('given an unmarked database, then it is never dropped', () => {
    expect(isAbandoned(null, now, alive)).toBe(false);
  });

  it('given a database of this host whose run is still alive, then it is kept', () => {
    expect(isAbandoned({ host: hostname(), pid: process.pid, startedAt: now - 60_000 }, now, alive)).toBe(
      false,
    );
  });

  it('given a database of this host whose run is gone, then it is dropped', () => {
    expect(isAbandoned({ host: hostname(), pid: deadPid, startedAt: now - 60_000 }, now, alive)).toBe(true);
  });

  it('given a database of this host older than a day, then it is dropped even if its pid is alive again', () => {
    expect(isAbandoned({ host: hostname(), pid: 1, startedAt: now - 2 * day }, now, () => true)).toBe(true);
  });

  describe('against the real PostgreSQL', () => {
    const created: string[] = [];
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: testServerUrl });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    const createMarked = async (marker: RunMarker) => {
      const name = `tickets_test_isolation_${randomBytes(4).toString('hex')}`;
      await admin(`create database ${name}`);
      await admin(`comment on database ${name} is '${markerComment(marker)}'`);
      created.push(name);
      return name;
    };
    afterAll(async () => {
      for (const name of created) await admin(`drop database if exists ${name} with (force)`);
    });

    it("given another host's database and one a dead run of this host left, then only the latter is listed for dropping", async () => {
      const foreign = await createMarked({ host: `${hostname()}-elsewhere`, pid: deadPid, startedAt: now });
      const leftOver = await createMarked({ host: hostname(), pid: deadPid, startedAt: now });
      const listed = await abandonedDatabases();
      expect(listed).toContain(leftOver);
      expect(listed).not.toContain(foreign);
      expect(listed).not.toContain(process.env.TEST_DATABASE_NAME);
    });
  });
});
