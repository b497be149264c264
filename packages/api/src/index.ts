export { resolveCaller } from './caller';
export {
  type ApiContext,
  createApiContext,
  SESSION_COOKIE,
  type SessionToken,
  sessionTokenOf,
} from './context';
export { isDatabaseUnavailable } from './errors';
export { type ErrorResponse, errorResponse } from './http-errors';
export type { ErrorData, ErrorShape } from './init';
export { apiReferenceHtml, apiReferenceMarkdown, docsStylesheet, openApiDocument } from './reference';
export { type AppRouter, appRouter, createCaller, type RouterInputs, type RouterOutputs } from './router';
export { defaultRequestLimits, type RequestLimits, userBudgetOf } from './security/request-limits';
export type { AppServices, ProcedureCall } from './services';
