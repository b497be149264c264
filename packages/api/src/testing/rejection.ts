import { getTRPCErrorShape, TRPCError } from '@trpc/server';
import { expect } from 'vitest';
import type { ErrorData } from '../init';
import { appRouter } from '../router';

/** The error a call was rejected with; fails the test when the call succeeds or throws something else. */
export async function rejection(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(
    () => expect.fail('expected the call to be rejected'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

/** The error as a client receives it, built by the router's own errorFormatter. */
export function errorShapeOf(error: TRPCError): {
  code: TRPCError['code'];
  data: ErrorData;
  message: string;
} {
  const shape = getTRPCErrorShape({
    config: appRouter._def._config,
    error,
    type: 'mutation',
    path: undefined,
    input: undefined,
    ctx: undefined,
  });
  return { code: error.code, data: shape.data as ErrorData, message: shape.message };
}

/** The stable `data.appCode` a client would branch on. */
export const appCodeOf = (error: TRPCError): string => errorShapeOf(error).data.appCode;
