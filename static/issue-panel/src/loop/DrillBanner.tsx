/**
 * DRILL, first thing on the panel of an exercise issue: nobody opening it at 3 a.m. should take it for
 * an outage, and nobody should look for the button that tells customers (there is none: the server
 * refuses public updates on drills).
 */
import { Box, Stack, Text } from '@atlaskit/primitives/compiled';
import type { LoopPanelView } from '../../../../src/contract/loop';

export function DrillBanner({ drill }: { drill: NonNullable<LoopPanelView['drill']> }) {
  return (
    <Box backgroundColor="color.background.discovery" padding="space.150" testId="drill-banner">
      <div role="status" aria-label="Drill">
        <Stack space="space.050">
          <Text weight="bold" size="large">
            DRILL — {drill.kindName}
          </Text>
          <Text>This issue is an exercise, not an outage. The clock, checklist and timeline run as for a real incident; updates stay internal and nothing is posted to customers.</Text>
        </Stack>
      </div>
    </Box>
  );
}
