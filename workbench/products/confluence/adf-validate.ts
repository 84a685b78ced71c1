/**
 * Validates `atlas_doc_format` bodies against Atlassian's own ADF JSON schema (`@atlaskit/adf-schema`,
 * `json-schema/v1/full.json`), compiled once with ajv. The schema is draft-04; its keywords used here are
 * the same in ajv's default draft, so only the `$schema` marker is dropped before compiling.
 */
import Ajv, { type ValidateFunction } from 'ajv';

let compiled: ValidateFunction | null | undefined;

function validatorFn(): ValidateFunction | null {
  if (compiled !== undefined) return compiled;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const schema = { ...(require('@atlaskit/adf-schema/dist/json-schema/v1/full.json') as Record<string, unknown>) };
    delete schema.$schema;
    compiled = new Ajv({ strict: false, allErrors: false }).compile(schema);
  } catch {
    compiled = null; // schema package absent: fall back to the structural check below
  }
  return compiled;
}

/** Returns undefined when `doc` is a valid ADF document, else a short reason. */
export function adfProblem(doc: unknown): string | undefined {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return 'the value is not a JSON object';
  const d = doc as Record<string, unknown>;
  if (d.type !== 'doc') return 'the root node must have type "doc"';
  if (d.version !== 1) return 'the root node must have version 1';
  if (!Array.isArray(d.content)) return 'the root node must have a content array';
  const validate = validatorFn();
  if (validate && !validate(doc)) {
    const e = validate.errors?.[0];
    return `invalid ADF at ${e?.instancePath || '/'}: ${e?.message ?? 'schema mismatch'}`;
  }
  return undefined;
}
