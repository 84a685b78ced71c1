/**
 * How the gateway tells "Confluence is not connected" from other failures: the installation's contexts
 * first, then the platform's refusal of a call (Atlassian documents neither behaviour; both are covered).
 */
import { NotAllowedError, ProxyRequestError, RequestProductNotAllowedError } from '@forge/api';
import { confluenceConnection, isNotConnectedError } from './confluence-gateway';

const ari = (text: string) => ({ toString: () => text });

describe('Confluence connection', () => {
  it('reads the installation contexts: connected with a Confluence site context, not without, unknown without contexts', () => {
    expect(confluenceConnection([ari('ari:cloud:jira::site/abc'), ari('ari:cloud:confluence::site/abc')])).toBe('connected');
    expect(confluenceConnection([ari('ari:cloud:jira::site/abc')])).toBe('not-connected');
    expect(confluenceConnection(undefined)).toBe('unknown');
    expect(confluenceConnection([])).toBe('unknown');
  });

  it('takes a platform refusal of the call as not connected, but not a platform outage', () => {
    expect(isNotConnectedError(new RequestProductNotAllowedError('confluence', 'jira'))).toBe(true);
    expect(isNotConnectedError(new NotAllowedError('not allowed'))).toBe(true);
    expect(isNotConnectedError(new ProxyRequestError(403, 'INSTALLATION_NOT_FOUND'))).toBe(true);
    expect(isNotConnectedError(new ProxyRequestError(502, 'PROXY_ERROR'))).toBe(false);
    expect(isNotConnectedError(new TypeError('fetch failed'))).toBe(false);
  });
});
