/**
 * Jira's error bodies. Every failure the local Jira answers with has Jira's `ErrorCollection` shape:
 * `{ errorMessages: string[], errors: { [field]: message } }`. Handlers throw a `JiraError`; the
 * service turns it into the response, so no handler builds an error body by hand.
 */
import type { ProductResponse } from '../types';

export interface ErrorBody {
  errorMessages: string[];
  errors: Record<string, string>;
}

export class JiraError extends Error {
  constructor(
    readonly status: number,
    readonly errorMessages: string[] = [],
    readonly errors: Record<string, string> = {},
  ) {
    super(errorMessages[0] ?? Object.values(errors)[0] ?? `HTTP ${status}`);
  }

  toResponse(): ProductResponse {
    const body: ErrorBody = { errorMessages: this.errorMessages, errors: this.errors };
    return { status: this.status, body };
  }
}

/** 400 with messages (not tied to a field). */
export const badRequest = (...messages: string[]): JiraError => new JiraError(400, messages);

/** 400 with per-field messages, as create/edit validation answers. */
export const fieldErrors = (errors: Record<string, string>): JiraError => new JiraError(400, [], errors);

export const ISSUE_NOT_FOUND = 'Issue does not exist or you do not have permission to see it.';

export const issueNotFound = (): JiraError => new JiraError(404, [ISSUE_NOT_FOUND]);

export const notFound = (message: string): JiraError => new JiraError(404, [message]);

export const forbidden = (message: string): JiraError => new JiraError(403, [message]);

export const unauthorized = (): JiraError =>
  new JiraError(401, ['You are not authenticated. Authentication required to perform this operation.']);

/** What Jira Cloud answers today for a body that is not valid JSON. */
export const malformedJson = (): JiraError =>
  badRequest('Invalid request payload. Refer to the REST API documentation and try again.');
