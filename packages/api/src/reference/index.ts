import { apiReferenceDocument } from './document';
import { renderHtml, renderMarkdown } from './render';

export { describeProcedures, type ProcedureReference } from './describe';
export { openApiDocument } from './openapi';
export { docsStylesheet } from './render';

/** docs/API.md, as `pnpm docs:api` writes it. */
export const apiReferenceMarkdown = (): string => renderMarkdown(apiReferenceDocument());

/** The page GET /docs answers. */
export const apiReferenceHtml = (): string => renderHtml(apiReferenceDocument());
