import type { ReactNode } from 'react';

export type LozengeAppearance = 'default' | 'success' | 'removed' | 'moved' | 'inprogress' | 'new';

/** Atlassian's lozenge, drawn with design tokens (the lozenge package is not installed). */
export function Lozenge({ appearance = 'default', children, title }: { appearance?: LozengeAppearance; children: ReactNode; title?: string }) {
  return (
    <span className={`lozenge ${appearance}`} title={title}>
      {children}
    </span>
  );
}
