import { readFile } from 'node:fs/promises';
import type { AnyProcedure } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { appRouter } from '../router';
import { describeProcedures } from './describe';
import { apiReferenceHtml, apiReferenceMarkdown, openApiDocument } from './index';

const procedures = describeProcedures();
const routerPaths = Object.keys(appRouter._def.procedures).sort();

describe('API reference', () => {
  it('given the router, then every procedure is described with its kind, access, summary and output', () => {
    expect(procedures.map((procedure) => procedure.path)).toEqual(routerPaths);
    for (const procedure of procedures) {
      expect(procedure.summary, `${procedure.path} has no summary: add .meta({ summary })`).not.toBe('');
      expect(['query', 'mutation', 'subscription']).toContain(procedure.type);
      expect(procedure.output, `${procedure.path} declares no output schema`).not.toBeNull();
    }
  });

  it('given docs/API.md, when compared with what `pnpm docs:api` writes now, then it is not stale', async () => {
    const written = await readFile(new URL('../../../../docs/API.md', import.meta.url), 'utf8');
    expect(written, 'docs/API.md is stale: run `pnpm docs:api`').toBe(apiReferenceMarkdown());
  });

  it('given the Markdown and the HTML, then each has a section for every procedure', () => {
    const markdown = apiReferenceMarkdown();
    const html = apiReferenceHtml();
    for (const path of routerPaths) {
      expect(markdown).toContain(`<a id="${path}"></a>`);
      expect(html).toContain(`id="${path}"`);
    }
  });

  it('given the HTML page, then it loads no script and nothing from another host', () => {
    const html = apiReferenceHtml();
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
  });

  it('given each example input, when parsed by its procedure, then it is valid', () => {
    const definitions = appRouter._def.procedures as unknown as Record<string, AnyProcedure>;
    for (const procedure of procedures) {
      if (procedure.exampleInput === null) continue;
      const definition = definitions[procedure.path]?._def as unknown as { inputs: z.ZodType[] };
      const parsed = definition.inputs[0]?.safeParse(procedure.exampleInput);
      expect(parsed?.success, `${procedure.path}: ${JSON.stringify(parsed?.error?.issues)}`).toBe(true);
    }
  });

  it('given the lists that need no id, then their input is optional; lists of a ticket still need its id', () => {
    const optional = (path: string) => procedures.find((procedure) => procedure.path === path)?.inputOptional;
    for (const path of ['tickets.list', 'logs.list', 'users.list', 'workspaces.list', 'notifications.list']) {
      expect(optional(path), path).toBe(true);
    }
    expect(optional('messages.list')).toBe(false);
    expect(optional('attachments.list')).toBe(false);
  });

  it('given a Date in an output, then its JSON Schema is an ISO 8601 string', () => {
    const get = procedures.find((procedure) => procedure.path === 'tickets.get');
    const output = get?.output as { properties: Record<string, unknown> };
    expect(output.properties.createdAt).toEqual({ type: 'string', format: 'date-time' });
  });

  it('given the OpenAPI document, then it is 3.1 with every procedure, the upload and the download', () => {
    const document = openApiDocument({ version: '1.2.3' }) as {
      openapi: string;
      info: { version: string };
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
    };
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.version).toBe('1.2.3');
    for (const procedure of procedures) {
      const method = procedure.type === 'mutation' ? 'post' : 'get';
      expect(document.paths[`/trpc/${procedure.path}`]?.[method], procedure.path).toBeDefined();
    }
    expect(document.paths['/api/attachments']?.post?.requestBody?.content).toHaveProperty(
      'multipart/form-data',
    );
    expect(document.paths['/api/attachments/{id}']?.get).toBeDefined();
  });
});
