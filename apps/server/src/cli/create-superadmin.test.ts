import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Database } from '@tickets/db';
import { openTestDatabase, testDatabaseUrl } from '@tickets/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const serverDir = fileURLToPath(new URL('../..', import.meta.url));

async function createSuperadminCli(
  args: string[],
  options: { password?: string; stdin?: string; databaseUrl?: string } = {},
) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: options.databaseUrl ?? testDatabaseUrl() };
  delete env.SUPERADMIN_PASSWORD;
  if (options.password !== undefined) env.SUPERADMIN_PASSWORD = options.password;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/create-superadmin.ts', ...args], {
    cwd: serverDir,
    env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  child.stdin.end(options.stdin ?? '');
  const [code] = await once(child, 'exit');
  return { code: code as number | null, stdout, stderr };
}

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

const usersWithEmail = (email: string) =>
  database.db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).execute();

// Each case spawns a process (tsx start-up plus argon2): seconds, not milliseconds.
describe('pnpm create-superadmin on DATABASE_URL', { timeout: 30_000 }, () => {
  it('given an e-mail, a name and SUPERADMIN_PASSWORD, then it creates a superadmin with no workspace', async () => {
    const email = `Root-${randomUUID()}@Example.test`;

    const result = await createSuperadminCli(['--email', email, '--name', 'Ada'], {
      password: 'correct horse battery',
    });

    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining(email.toLowerCase()) });
    expect(await usersWithEmail(email)).toEqual([
      expect.objectContaining({
        role: 'superadmin',
        workspaceId: null,
        name: 'Ada',
        isActive: true,
        passwordHash: expect.stringMatching(/^\$argon2id\$/),
      }),
    ]);
  });

  it('given no SUPERADMIN_PASSWORD, then it reads the password from stdin', async () => {
    const email = `piped-${randomUUID()}@example.test`;

    const result = await createSuperadminCli(['--email', email, '--name', 'Piped'], {
      stdin: 'piped password value\n',
    });

    expect(result.code).toBe(0);
    expect(await usersWithEmail(email)).toHaveLength(1);
  });

  it('given a password piped with no newline after it (printf %s), then it is read all the same', async () => {
    const email = `printf-${randomUUID()}@example.test`;

    const result = await createSuperadminCli(['--email', email, '--name', 'Printf'], {
      stdin: 'piped password value',
    });

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(await usersWithEmail(email)).toHaveLength(1);
  });

  it('given a DATABASE_URL naming a database that does not exist, then one line says which createdb command makes it', async () => {
    const missing = new URL(testDatabaseUrl());
    missing.pathname = '/tickets_no_such_database';

    const result = await createSuperadminCli(['--email', 'x@example.test', '--name', 'X'], {
      password: 'correct horse battery',
      databaseUrl: missing.toString(),
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /does not exist on .*createdb -h \S+ -p \d+ -U \S+ tickets_no_such_database/,
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toContain('    at ');
  });

  it('given an e-mail already taken in another case, then it fails with a clear message and adds nobody', async () => {
    const email = `twice-${randomUUID()}@example.test`;
    await createSuperadminCli(['--email', email, '--name', 'First'], { password: 'correct horse battery' });

    const again = await createSuperadminCli(['--email', email.toUpperCase(), '--name', 'Second'], {
      password: 'correct horse battery',
    });

    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect(await usersWithEmail(email)).toEqual([expect.objectContaining({ name: 'First' })]);
  });

  it('given a password that is too short, then it names the field and writes nothing', async () => {
    const email = `short-${randomUUID()}@example.test`;

    const result = await createSuperadminCli(['--email', email, '--name', 'Short'], { password: 'short' });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/password: /);
    expect(await usersWithEmail(email)).toEqual([]);
  });

  it('given a missing --name, then it prints the usage and exits 1', async () => {
    const result = await createSuperadminCli(['--email', 'x@example.test'], {
      password: 'correct horse battery',
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Usage: scripts/create-superadmin.sh --email <email> --name <name>');
  });
});
