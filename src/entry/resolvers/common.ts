/** What every resolver shares: reading the trusted module context and mapping errors to the envelope. */
import type { ResolverResult } from '../../contract/errors';
import { isForgePlatformError } from '@forge/api';
import { ContinuityError, invalidInput } from '../../domain/errors';

interface IssueContext {
  extension?: { issue?: { id?: string | number; key?: string } };
}

/** The issue the panel is shown on, as the product says (never an id sent by the front end). */
export function issueFromContext(context: unknown): { id: string; key: string } {
  const issue = (context as IssueContext | undefined)?.extension?.issue;
  if (!issue?.id || !issue.key) throw invalidInput('This resolver runs only on an issue.', 'context.extension.issue');
  return { id: String(issue.id), key: issue.key };
}

export async function toResolverResult<T>(work: () => Promise<T>): Promise<ResolverResult<T>> {
  try {
    return { ok: true, data: await work() };
  } catch (error) {
    if (error instanceof ContinuityError) return { ok: false, error: error.toResolverError() };
    // The platform's own errors (the user must first allow the app to act for them) go back to Forge,
    // which asks the user for consent: wrapping them would leave the user stuck.
    if (error instanceof Error && isForgePlatformError(error)) throw error;
    console.error('Resolver failed', error);
    return { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong; the error was logged.' } };
  }
}
