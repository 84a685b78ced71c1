/**
 * Validates Atlassian Document Format bodies against Atlassian's own ADF JSON schema
 * (`@atlaskit/adf-schema`, `json-schema/v1/full.json`), as Jira does for v3 comment and description
 * bodies. The schema is draft-04; the keywords it uses compile unchanged under Ajv 8 once the
 * `$schema` marker is dropped. Compiled once, on first use.
 */
import fs from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';

let validate: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!validate) {
    const file = require.resolve('@atlaskit/adf-schema/dist/json-schema/v1/full.json');
    const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete schema.$schema;
    validate = new Ajv({ strict: false, allErrors: false }).compile(schema);
  }
  return validate;
}

export type AdfCheck = { ok: true } | { ok: false; reason: string };

/** Checks that `value` is a well-formed ADF document (`{ type: 'doc', version: 1, content: [...] }`). */
export function checkAdf(value: unknown): AdfCheck {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, reason: 'not an object' };
  const doc = value as { type?: unknown; version?: unknown; content?: unknown };
  if (doc.type !== 'doc' || doc.version !== 1 || !Array.isArray(doc.content)) return { ok: false, reason: 'not an ADF doc node' };
  const v = validator();
  if (v(value)) return { ok: true };
  const first = v.errors?.[0];
  return { ok: false, reason: first ? `${first.instancePath || '/'} ${first.message}` : 'invalid ADF' };
}

/** The message Jira answers with when a v3 rich-text field is not an ADF document. */
export const NOT_ADF_MESSAGE = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
