/** What the loop's panel parts need from the panel that hosts them (both panels' `act` has this shape). */
import type { PanelActionResult } from '../../../../src/contract/issue-panel';
import type { ResolverError } from '../../../../src/contract/errors';

/** Runs a resolver call that answers the refreshed panel; answers the error to show, if any. */
export type Act = (run: () => Promise<PanelActionResult>) => Promise<ResolverError | undefined>;

