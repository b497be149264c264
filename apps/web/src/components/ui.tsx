import type { ReactNode } from 'react';
import { errorText } from '../errors';

/** An error from the API, in words, announced to screen readers. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {errorText(error)}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}

/** What a list shows when it has nothing: say so, and what to do next. */
export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  return (
    <div className="page-title">
      <h1>{children}</h1>
      {actions ? <div className="actions">{actions}</div> : null}
    </div>
  );
}

export function Badge({ kind, children }: { kind: string; children: ReactNode }) {
  return <span className={`badge badge-${kind}`}>{children}</span>;
}

/**
 * The option a `<select>` chose, as its union member: the DOM hands back a plain string, and this narrows
 * it against the options the select was drawn from instead of casting. A value that is not one of them
 * (only a tampered page sends one) is refused rather than sent to the API as a typed value.
 */
export function pick<T extends string>(options: readonly T[], value: string): T {
  const chosen = options.find((option) => option === value);
  if (chosen === undefined) throw new Error(`"${value}" is not one of the options: ${options.join(', ')}`);
  return chosen;
}
