import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { roles, ticketCategories, ticketPriorities, ticketStatuses } from '@tickets/db/enums';
import { testDatabaseUrl } from '@tickets/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The published package as a stranger gets it: built, packed with pnpm (publishConfig applies), installed
// with npm into a project outside the workspace, type-checked there, and run against the real server.

const exec = promisify(execFile);
const clientDir = fileURLToPath(new URL('..', import.meta.url));
const serverDir = resolve(clientDir, '../../apps/server');
const adminPassword = 'the consumer test superadmin';

let work: string;
let tarball: string;
let consumerDir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tickets-consumer-'));
  // No build first: `pack` must build by itself (prepack), or the tarball would hold no code.
  await rm(join(clientDir, 'dist'), { recursive: true, force: true });
  await exec('pnpm', ['pack', '--pack-destination', work], { cwd: clientDir });
  const packed = (await readdir(work)).find((name) => name.endsWith('.tgz'));
  if (!packed) throw new Error('pnpm pack produced no tarball');
  tarball = join(work, packed);
}, 240_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the packed @tickets/client', () => {
  it('given the tarball, then it holds only its three entries (the client, the React hooks, the webhook verifier), their declarations and the docs, within budget', async () => {
    const { stdout } = await exec('tar', ['tzf', tarball]);
    expect(stdout.trim().split('\n').sort()).toEqual([
      'package/LICENSE',
      'package/README.md',
      'package/dist/index.d.ts',
      'package/dist/index.js',
      'package/dist/react.d.ts',
      'package/dist/react.js',
      'package/dist/webhooks.d.ts',
      'package/dist/webhooks.js',
      'package/package.json',
    ]);
    const manifest = JSON.parse(await readFile(join(clientDir, 'package.json'), 'utf8')) as {
      sizeBudget: Record<string, number>;
    };
    const sizes: Record<string, number> = { tarball: (await stat(tarball)).size };
    for (const [file, budget] of Object.entries(manifest.sizeBudget)) {
      sizes[file] = (await stat(join(clientDir, file))).size;
      expect(sizes[file], `${file} is over its sizeBudget`).toBeLessThanOrEqual(budget);
    }
    console.info('@tickets/client sizes (bytes):', sizes);

    // The packed manifest is for consumers: no development dependencies (the unpublished workspace
    // packages among them), no scripts, and where to read more and report bugs.
    const { stdout: packedJson } = await exec('tar', ['xzOf', tarball, 'package/package.json']);
    const packed = JSON.parse(packedJson) as Record<string, unknown>;
    expect(packed).not.toHaveProperty('devDependencies');
    expect(packed).not.toHaveProperty('scripts');
    expect(packedJson).not.toMatch(/workspace:|@tickets\/(api|db|core)/);
    expect(packed).toMatchObject({
      homepage: expect.stringContaining('http'),
      bugs: { url: expect.any(String) },
    });

    // No server code at run time: the bundle imports only tRPC's client and superjson.
    const js = await readFile(join(clientDir, 'dist/index.js'), 'utf8');
    const jsImports = [...js.matchAll(/from\s+"([^"]+)"/g)].map((match) => match[1]);
    expect(new Set(jsImports)).toEqual(new Set(['@trpc/client', 'superjson']));
    // The enumerations come from @tickets/db/enums, a private package: bundled, every value in the file.
    for (const value of [...ticketStatuses, ...ticketPriorities, ...ticketCategories, ...roles]) {
      expect(js).toContain(`"${value}"`);
    }
    // The webhook verifier's entry imports only the Standard Webhooks library.
    const webhooksJs = await readFile(join(clientDir, 'dist/webhooks.js'), 'utf8');
    expect(new Set([...webhooksJs.matchAll(/from\s+"([^"]+)"/g)].map((match) => match[1]))).toEqual(
      new Set(['standardwebhooks']),
    );
    // And a declaration file that reads like the API: no workspace package, no database types.
    const dts = await readFile(join(clientDir, 'dist/index.d.ts'), 'utf8');
    const dtsImports = new Set([...dts.matchAll(/from\s+"([^"]+)"/g)].map((match) => match[1]));
    for (const source of dtsImports) expect(source).toMatch(/^(@trpc\/(client|server)(\/.*)?|superjson)$/);
    expect(dts).not.toMatch(/Kysely|ServicesHandle\b.*db|AppServices/);

    // The React entry: the main entry by its package name (no shared chunk), React and TanStack Query as
    // peers, tRPC's TanStack binding inlined (its exact peers on an older tRPC would block installs).
    const reactJs = await readFile(join(clientDir, 'dist/react.js'), 'utf8');
    const reactImports = new Set([...reactJs.matchAll(/from\s+"([^"]+)"/g)].map((match) => match[1]));
    for (const source of reactImports) {
      expect(source).toMatch(
        /^(@trpc\/(client|server)(\/.*)?|@tanstack\/react-query|react|@tickets\/client)$/,
      );
    }
    const reactDts = await readFile(join(clientDir, 'dist/react.d.ts'), 'utf8');
    const reactDtsImports = new Set([...reactDts.matchAll(/from\s+"([^"]+)"/g)].map((match) => match[1]));
    for (const source of reactDtsImports) {
      expect(source).toMatch(
        /^(@trpc\/(client|server)(\/.*)?|@tanstack\/react-query|react|@tickets\/client)$/,
      );
    }
    expect(reactDts).not.toMatch(/Kysely/);
  });

  it('given the tarball, then publint and arethetypeswrong (ESM-only profile) find no problem', async () => {
    const publint = await exec('pnpm', ['exec', 'publint', '--strict', '--pack', 'pnpm'], { cwd: clientDir });
    expect(publint.stdout).toContain('All good!');
    await exec('pnpm', ['exec', 'attw', tarball, '--profile', 'esm-only'], { cwd: clientDir });
  }, 120_000);

  it('given a fresh npm project outside the workspace, when it installs the tarball, then a strict script type-checks (bundler and nodenext) and runs the whole journey against a live server', async () => {
    consumerDir = join(work, 'consumer');
    await mkdir(consumerDir);
    await writeFile(
      join(consumerDir, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    await exec(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        tarball,
        '@trpc/client@11.25.2',
        '@trpc/server@11.25.2',
        'eventsource@4.1.1',
        'typescript@5.9.3',
        '@types/node@^20.19.0',
      ],
      { cwd: consumerDir },
    );
    await writeFile(
      join(consumerDir, 'main.ts'),
      await readFile(join(clientDir, 'test/consumer/main.ts'), 'utf8'),
    );
    // A page's code, checked with the DOM library and without skipLibCheck: the declarations themselves
    // must be valid, not merely usable.
    await writeFile(
      join(consumerDir, 'browser.ts'),
      [
        "import { createTicketsClient, isTicketsError, type Ticket } from '@tickets/client';",
        'const client = createTicketsClient({ url: location.origin });',
        'export async function open(id: string): Promise<Ticket | null> {',
        '  try {',
        '    return await client.tickets.get.query({ id });',
        '  } catch (error) {',
        "    if (isTicketsError(error, 'NOT_FOUND')) return null;",
        '    throw error;',
        '  }',
        '}',
        'export const upload = (ticketId: string, file: File) => client.uploadAttachment({ ticketId, file });',
      ].join('\n'),
    );
    await writeFile(
      join(consumerDir, 'tsconfig.browser.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          target: 'ES2022',
          lib: ['ES2023', 'DOM', 'DOM.Iterable', 'ESNext.Disposable'],
          types: [],
          module: 'preserve',
          moduleResolution: 'bundler',
          noEmit: true,
        },
        files: ['browser.ts'],
      }),
    );
    // Node scripts: tRPC's own declarations need the DOM library, so these skip library checks as usual.
    const common = { strict: true, target: 'ES2022', lib: ['ES2023'], types: ['node'], skipLibCheck: true };
    await writeFile(
      join(consumerDir, 'tsconfig.bundler.json'),
      JSON.stringify({
        compilerOptions: { ...common, module: 'preserve', moduleResolution: 'bundler', noEmit: true },
        files: ['main.ts'],
      }),
    );
    await writeFile(
      join(consumerDir, 'tsconfig.nodenext.json'),
      JSON.stringify({
        compilerOptions: { ...common, module: 'nodenext', moduleResolution: 'nodenext', outDir: 'out' },
        files: ['main.ts'],
      }),
    );
    const tsc = join(consumerDir, 'node_modules/typescript/bin/tsc');
    for (const project of ['tsconfig.browser.json', 'tsconfig.bundler.json', 'tsconfig.nodenext.json']) {
      await run(process.execPath, [tsc, '-p', project], consumerDir);
    }

    // The README's TypeScript examples, as written, under the same strict settings and under what
    // `tsc --init` writes (with Node's types, as a Node project adds them).
    const readme = await readFile(join(clientDir, 'README.md'), 'utf8');
    const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string);
    expect(examples.length).toBeGreaterThanOrEqual(2);
    const readmeDir = join(consumerDir, 'readme');
    await mkdir(readmeDir);
    const files = await Promise.all(
      examples.map(async (code, index) => {
        const file = `example-${index + 1}.ts`;
        await writeFile(join(readmeDir, file), code);
        return file;
      }),
    );
    for (const [name, module, moduleResolution] of [
      ['bundler', 'preserve', 'bundler'],
      ['nodenext', 'nodenext', 'nodenext'],
    ] as const) {
      await writeFile(
        join(readmeDir, `tsconfig.${name}.json`),
        JSON.stringify({ compilerOptions: { ...common, module, moduleResolution, noEmit: true }, files }),
      );
      await run(process.execPath, [tsc, '-p', `tsconfig.${name}.json`], readmeDir);
    }
    await run(process.execPath, [tsc, '--init'], readmeDir);
    const initialised = await readFile(join(readmeDir, 'tsconfig.json'), 'utf8');
    expect(initialised).toMatch(/"types": \[\]/);
    await writeFile(
      join(readmeDir, 'tsconfig.json'),
      initialised.replace(/"types": \[\]/, '"types": ["node"]'),
    );
    await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit'], readmeDir);

    const server = await startServer();
    const adminEmail = `consumer-admin-${Date.now()}@example.com`;
    await exec(
      process.execPath,
      ['--import', 'tsx', 'src/cli/create-superadmin.ts', '--email', adminEmail, '--name', 'Ada Admin'],
      { cwd: serverDir, env: serverEnv({ SUPERADMIN_PASSWORD: adminPassword }) },
    );
    const { stdout } = await exec(process.execPath, ['out/main.js', server.url, adminEmail, adminPassword], {
      cwd: consumerDir,
      timeout: 60_000,
    });
    const seen = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
    expect(seen).toMatchObject({
      missingTicketCode: 'NOT_FOUND',
      missingAttachmentCode: 'NOT_FOUND',
      uploadedSize: 300 * 1024 + 7,
      attachmentFilename: 'rapport-été.bin',
      downloadFilename: 'rapport-été.bin',
      downloadSize: 300 * 1024 + 7,
      identical: true,
      noteText: 'hello',
      anonymousUploadCode: 'UNAUTHORIZED',
      lastProgress: 300 * 1024 + 7,
      notification: { type: 'message.created', ticketId: seen.ticketId, createdAtIsDate: true },
    });
    expect(seen.progressEvents).toBeGreaterThan(2);
  }, 240_000);
});

/** Like exec, but a failure shows the command's output (tsc reports on stdout). */
async function run(command: string, args: string[], cwd: string) {
  try {
    return await exec(command, args, { cwd });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${[command, ...args].join(' ')} failed:\n${stdout}${stderr}`);
  }
}

function serverEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: testDatabaseUrl(),
    PORT: '0',
    STORAGE_DIR: join(work, 'storage'),
    LOG_LEVEL: 'info',
    ...extra,
  };
  delete env.NODE_ENV;
  return env;
}

/** The real server process, as `pnpm start` runs it, on this run's test database. */
async function startServer(): Promise<{ url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: serverEnv({}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const port = await new Promise<number>((resolvePort, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; port?: number };
      if (entry.msg === 'listening' && entry.port) resolvePort(entry.port);
    });
    once(child, 'exit').then(([code]) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  return { url: `http://127.0.0.1:${port}` };
}
