/**
 * A section message (Atlassian's inline notice) from primitives and tokens: @atlaskit/section-message
 * is too heavy for the bundle budget. An `alert` notice is announced when it appears; others are not.
 */
import type { ReactNode } from 'react';
import { Box, Inline, Stack } from '@atlaskit/primitives/compiled';

export type NoticeAppearance = 'information' | 'warning' | 'error' | 'success' | 'discovery';

const BACKGROUND = {
  information: 'color.background.information',
  warning: 'color.background.warning',
  error: 'color.background.danger',
  success: 'color.background.success',
  discovery: 'color.background.discovery',
} as const;

interface Props {
  appearance?: NoticeAppearance;
  title?: ReactNode;
  children?: ReactNode;
  actions?: ReactNode;
  /** role="alert": announce it (failures that need attention now). */
  alert?: boolean;
  testId?: string;
}

export function Notice({ appearance = 'information', title, children, actions, alert, testId }: Props) {
  return (
    <Box backgroundColor={BACKGROUND[appearance]} padding="space.150" testId={testId} role={alert ? 'alert' : undefined} data-appearance={appearance}>
      <Stack space="space.050">
        {title && <strong className="ds-heading-xsmall">{title}</strong>}
        {children}
        {actions && (
          <Inline space="space.100" shouldWrap>
            {actions}
          </Inline>
        )}
      </Stack>
    </Box>
  );
}
