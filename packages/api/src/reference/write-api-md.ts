import { writeFile } from 'node:fs/promises';
import { apiReferenceMarkdown } from './index';

// `pnpm docs:api`: rewrites docs/API.md from the router. api-reference.test.ts fails while it is stale.
const target = new URL('../../../../docs/API.md', import.meta.url);
await writeFile(target, apiReferenceMarkdown());
process.stdout.write(`wrote ${target.pathname}\n`);
