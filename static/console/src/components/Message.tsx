import type { ReactNode } from 'react';

/** A message in the page's flow; errors are announced at once (role alert), the rest politely. */
export function Message({ kind = 'info', title, children, testId }: { kind?: 'info' | 'warning' | 'error' | 'success'; title?: string; children?: ReactNode; testId?: string }) {
  return (
    <div className={`message ${kind}`} role={kind === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {title && <strong>{title} </strong>}
      {children}
    </div>
  );
}
