import { ContinuityError } from '../errors';
import { pageIdFromAddress } from './page-address';

const SITE = 'https://acme.atlassian.net';

function refusal(address: unknown): string {
  try {
    pageIdFromAddress(address, SITE);
  } catch (error) {
    expect((error as ContinuityError).field).toBe('pageUrl');
    return (error as ContinuityError).message;
  }
  throw new Error(`accepted ${String(address)}`);
}

describe('pageIdFromAddress', () => {
  it('reads the page id of this site\'s page links, and a bare id', () => {
    expect(pageIdFromAddress('https://acme.atlassian.net/wiki/spaces/CONT/pages/65601/Payments+plan', SITE)).toBe('65601');
    expect(pageIdFromAddress('https://acme.atlassian.net/wiki/spaces/CONT/pages/65601', SITE)).toBe('65601');
    expect(pageIdFromAddress('https://acme.atlassian.net/wiki/spaces/CONT/pages/edit-v2/65601', SITE)).toBe('65601');
    expect(pageIdFromAddress('https://acme.atlassian.net/wiki/pages/viewpage.action?pageId=42', SITE)).toBe('42');
    expect(pageIdFromAddress(' 65601 ', SITE)).toBe('65601');
  });

  it('refuses other sites, schemes, short links and anything else, in words', () => {
    expect(refusal('https://evil.example/wiki/spaces/CONT/pages/1')).toContain('on this site');
    expect(refusal('javascript:alert(1)')).toContain('web address');
    expect(refusal('https://acme.atlassian.net/wiki/x/AbC')).toContain('Short links');
    expect(refusal('https://acme.atlassian.net/browse/OPS-1')).toContain('Confluence page link');
    expect(refusal('')).toContain('Paste the link');
    expect(refusal(42)).toContain('Paste the link');
  });
});
