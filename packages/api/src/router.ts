import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { t } from './init';
import { attachmentsRouter } from './routers/attachments';
import { authRouter } from './routers/auth';
import { logsRouter } from './routers/logs';
import { messagesRouter } from './routers/messages';
import { notificationsRouter } from './routers/notifications';
import { slaRouter } from './routers/sla';
import { statsRouter } from './routers/stats';
import { ticketsRouter } from './routers/tickets';
import { usersRouter } from './routers/users';
import { webhooksRouter } from './routers/webhooks';
import { workspacesRouter } from './routers/workspaces';

export const appRouter = t.router({
  auth: authRouter,
  workspaces: workspacesRouter,
  users: usersRouter,
  tickets: ticketsRouter,
  messages: messagesRouter,
  attachments: attachmentsRouter,
  logs: logsRouter,
  stats: statsRouter,
  notifications: notificationsRouter,
  sla: slaRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export const createCaller = t.createCallerFactory(appRouter);
