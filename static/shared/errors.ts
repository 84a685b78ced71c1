/**
 * What a front end says when a call fails: the resolver's message when it is written for people
 * (invalid input, conflicts, permissions), plain words for the platform's failures; never a status code.
 */
import type { ResolverError } from '../../src/contract/errors';

export const JIRA_DID_NOT_ANSWER = 'Jira did not answer; actions are off until it does.';

export function inWords(error: ResolverError): string {
  switch (error.code) {
    case 'UPSTREAM_UNAVAILABLE':
      return /^Jira did not answer/.test(error.message) ? error.message : 'Jira did not answer; nothing was changed. Try again in a moment.';
    case 'RATE_LIMITED':
      return 'Jira is busy right now; nothing was changed. Try again in a moment.';
    case 'INTERNAL':
      return 'Something went wrong in the app; nothing was changed. Try again, and tell your administrator if it keeps happening.';
    default:
      return error.message;
  }
}

/** A call that did not even reach the app (the page lost its connection). */
export const UNREACHABLE: ResolverError = { code: 'INTERNAL', message: 'The app could not be reached; check your connection and try again.' };
