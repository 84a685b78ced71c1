/**
 * A lozenge (Atlassian's status label), built from the design tokens: @atlaskit/lozenge would add more
 * to the bundle than the whole panel. Appearances follow Atlassian's: default, inprogress (blue),
 * moved (yellow), new (purple), removed (red), success (green).
 */
import type { ReactNode } from 'react';

export type LozengeAppearance = 'default' | 'inprogress' | 'moved' | 'new' | 'removed' | 'success';

export function Lozenge({ appearance = 'default', children, testId }: { appearance?: LozengeAppearance; children: ReactNode; testId?: string }) {
  return (
    <span className={`ds-lozenge ds-lozenge-${appearance}`} data-testid={testId}>
      {children}
    </span>
  );
}
