import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { t } from './init';
import { authRouter } from './routers/auth';
import { ticketsRouter } from './routers/tickets';
import { usersRouter } from './routers/users';
import { workspacesRouter } from './routers/workspaces';

export const appRouter = t.router({
  auth: authRouter,
  workspaces: workspacesRouter,
  users: usersRouter,
  tickets: ticketsRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export const createCaller = t.createCallerFactory(appRouter);
