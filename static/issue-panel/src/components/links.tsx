/** Links to the app's other pages, through the bridge's router as Forge requires. */
import Button from '@atlaskit/button/new';
import { router } from '@forge/bridge';

const open = (moduleKey: string) => void router.navigate({ target: 'module', moduleKey } as never).catch(() => undefined);

/** The Service continuity page, where services are catalogued and plans written. */
export function ConsoleLink({ moduleKey, children, testId = 'console-link' }: { moduleKey: string; children: string; testId?: string }) {
  return (
    <Button appearance="subtle" spacing="compact" onClick={() => open(moduleKey)} testId={testId}>
      {children}
    </Button>
  );
}

export function SettingsLink({ moduleKey }: { moduleKey: string }) {
  return (
    <Button appearance="subtle" spacing="compact" onClick={() => open(moduleKey)} testId="settings-link">
      Continuity settings
    </Button>
  );
}
