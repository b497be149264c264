/** What tests read from an error answer: the one envelope every route uses, flattened. */
export interface ErrorFields {
  code: string;
  appCode: string;
  message: string;
  issues?: Array<{ path: string; message: string }>;
  requestId?: string;
}

/**
 * The fields of an error body in tRPC's envelope (`{ error: { json: { message, data } } }`, the
 * superjson of the error shape); throws when the body is not in that envelope.
 */
export function errorFields(body: unknown): ErrorFields {
  const shape = (body as { error?: { json?: { message?: unknown; data?: Record<string, unknown> } } })?.error
    ?.json;
  if (typeof shape?.message !== 'string' || typeof shape.data?.appCode !== 'string') {
    throw new Error(`not an error in the envelope: ${JSON.stringify(body)}`);
  }
  const { code, appCode, issues, requestId } = shape.data as unknown as ErrorFields;
  return {
    code,
    appCode,
    message: shape.message,
    ...(issues ? { issues } : {}),
    ...(requestId ? { requestId } : {}),
  };
}
