export { type ApiContext, createApiContext, SESSION_COOKIE } from './context';
export type { ErrorData } from './init';
export { type AppRouter, appRouter, createCaller, type RouterInputs, type RouterOutputs } from './router';
export type { AppServices } from './services';
