import { t } from '../init';
import { fromServicesHandle } from '../services';

/**
 * The outermost middleware of every procedure: times the call and reports its outcome to the server's
 * metrics. tRPC hands the inner middlewares' failures back as a result here (they do not throw), so
 * refusals by the gates and domain errors are counted with their code.
 */
export const observeProcedure = t.middleware(async ({ ctx, path, type, next }) => {
  const observe = fromServicesHandle(ctx.services).observeProcedure;
  if (!observe) return next();
  const started = performance.now();
  const result = await next();
  observe({
    path,
    type,
    outcome: result.ok ? 'ok' : result.error.code,
    durationSeconds: (performance.now() - started) / 1000,
  });
  return result;
});
