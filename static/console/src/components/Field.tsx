import type { ReactNode } from 'react';

/** Ids a control points its aria-describedby at: its error first, then its help. */
export function describedBy(id: string, error?: string, help?: ReactNode): string | undefined {
  return [error ? `${id}-error` : '', help ? `${id}-help` : ''].filter(Boolean).join(' ') || undefined;
}

/** A labelled control with its help and its error (the server's message for that field). */
export function Field({ id, label, help, error, children }: { id: string; label: string; help?: ReactNode; error?: string; children: ReactNode }) {
  return (
    <div>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children}
      {error && (
        <div className="field-error" id={`${id}-error`} data-testid={`error-${id}`}>
          {error}
        </div>
      )}
      {help && (
        <div className="field-help" id={`${id}-help`}>
          {help}
        </div>
      )}
    </div>
  );
}
