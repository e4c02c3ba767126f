/**
 * Optional metadata schema: required variables, their types and ranges.
 *   { "required": ["fatigue"], "fields": { "fatigue": { "type": "number", "min": 0, "max": 10 },
 *     "hardware_model": { "type": "text", "pattern": "^NX-" }, "operator": { "type": "text", "enum": ["ann"] } } }
 * Reserved variables describing the binary data (channels, sample_rate_hz, sample_format) are
 * always checked. A name close to a known one that is missing (`fatigeu`) is flagged with the
 * suggestion. `"block": true` on a field makes its violations block the session (the lab's choice).
 */
import type { SessionVariables } from './manifest-types.js';
import type { Problem } from './validation-types.js';
import { closestName } from './suggest.js';

export interface FieldSpec {
  type: 'number' | 'text';
  min?: number;
  max?: number;
  integer?: boolean;
  pattern?: string;
  enum?: string[];
  /**
   * The lab's choice: a violation of this field's rules (and, when it is required, its absence)
   * blocks the session: it is left on the rig, untouched, until the metadata is corrected.
   */
  block?: boolean;
}

export interface MetadataSchema {
  required?: string[];
  fields?: Record<string, FieldSpec>;
}

export const SAMPLE_FORMATS = { int16le: 2, int32le: 4, float32le: 4, float64le: 8 } as const;
export type SampleFormat = keyof typeof SAMPLE_FORMATS;

export const RESERVED_FIELDS: Record<string, FieldSpec> = {
  channels: { type: 'number', min: 1, max: 4096, integer: true },
  sample_rate_hz: { type: 'number', min: Number.MIN_VALUE },
  sample_format: { type: 'text', enum: Object.keys(SAMPLE_FORMATS) },
};

/** Problems with a schema file itself (returned as strings naming the field). */
export function schemaErrors(schema: unknown): string[] {
  const errors: string[] = [];
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return ['the schema must be a JSON object with "required" and/or "fields"'];
  const s = schema as MetadataSchema;
  if (s.required !== undefined && (!Array.isArray(s.required) || s.required.some((r) => typeof r !== 'string')))
    errors.push('"required" must be a list of variable names');
  for (const [name, f] of Object.entries(s.fields ?? {})) {
    if (!f || (f.type !== 'number' && f.type !== 'text')) errors.push(`field "${name}": "type" must be "number" or "text"`);
    if (f?.block !== undefined && typeof f.block !== 'boolean') errors.push(`field "${name}": "block" must be true or false`);
    if (f?.pattern !== undefined) {
      try {
        new RegExp(f.pattern);
      } catch {
        errors.push(`field "${name}": "pattern" is not a valid regular expression`);
      }
    }
  }
  return errors;
}

export function checkVariables(path: string, vars: SessionVariables, schema: MetadataSchema = {}): Problem[] {
  const problems: Problem[] = [];
  const fields = { ...(schema.fields ?? {}), ...RESERVED_FIELDS };
  const blocks = (field: string) => (Object.hasOwn(schema.fields ?? {}, field) && schema.fields![field].block === true ? { blocking: true } : {});
  const p = (code: string, field: string, value: string | undefined, message: string, fix: string) =>
    problems.push({ path, code, field, value, message, fix, severity: 'error', ...blocks(field) });
  const present = (name: string) => Object.hasOwn(vars.numeric, name) || Object.hasOwn(vars.text, name);
  for (const name of schema.required ?? []) {
    if (!present(name)) p('metadata.missing_required', name, undefined, `required variable "${name}" is missing`, `add a line "${name}: <value>"`);
  }
  // A name the schema does not know, close to one it knows that is absent: most likely a typo.
  const known = [...new Set([...(schema.required ?? []), ...Object.keys(fields)])].filter((k) => !present(k));
  for (const name of [...Object.keys(vars.numeric), ...Object.keys(vars.text)]) {
    if (Object.hasOwn(fields, name) || (schema.required ?? []).includes(name)) continue;
    const close = closestName(name, known);
    if (close)
      problems.push({
        path,
        code: 'metadata.unknown_name',
        field: name,
        value: name,
        message: `variable "${name}" is not a known name: did you mean "${close}"?`,
        fix: `rename it to "${close}" in the metadata file`,
        severity: 'error',
      });
  }
  for (const [name, spec] of Object.entries(fields)) {
    const num = Object.hasOwn(vars.numeric, name) ? vars.numeric[name] : undefined;
    const txt = Object.hasOwn(vars.text, name) ? vars.text[name] : undefined;
    if (num === undefined && txt === undefined) continue;
    if (spec.type === 'number') {
      if (num === undefined) {
        p('metadata.type', name, txt, `variable "${name}" must be a number, got ${JSON.stringify(txt)}`, `write a plain number, e.g. ${name}: 3`);
        continue;
      }
      if (spec.integer && !Number.isInteger(num)) p('metadata.range', name, String(num), `variable "${name}" must be a whole number`, 'remove the fraction');
      if (spec.min !== undefined && num < spec.min)
        p('metadata.range', name, String(num), `variable "${name}" is ${num}, below the minimum ${spec.min}`, `use a value >= ${spec.min}`);
      if (spec.max !== undefined && num > spec.max)
        p('metadata.range', name, String(num), `variable "${name}" is ${num}, above the maximum ${spec.max}`, `use a value <= ${spec.max}`);
    } else {
      const value = txt ?? String(num);
      if (spec.enum && !spec.enum.includes(value))
        p(
          'metadata.enum',
          name,
          value,
          `variable "${name}" is ${JSON.stringify(value)}, not one of ${spec.enum.join(', ')}`,
          `use one of ${spec.enum.join(', ')}`,
        );
      if (spec.pattern && !new RegExp(spec.pattern).test(value))
        p('metadata.pattern', name, value, `variable "${name}" ${JSON.stringify(value)} does not match ${spec.pattern}`, 'correct the value');
    }
  }
  return problems;
}

/** The binary layout the metadata describes, for the validator and the built-in processor. */
export function binaryLayout(vars: SessionVariables): { channels: number; sampleRateHz?: number; format: SampleFormat; bytesPerSample: number } | undefined {
  const own = <T>(o: Record<string, T>, k: string) => (Object.hasOwn(o, k) ? o[k] : undefined);
  const channels = own(vars.numeric, 'channels');
  if (channels === undefined || !Number.isInteger(channels) || channels < 1) return undefined;
  const format = (own(vars.text, 'sample_format') ?? 'int16le') as SampleFormat;
  // Own properties only: `'toString' in SAMPLE_FORMATS` is true.
  if (!Object.hasOwn(SAMPLE_FORMATS, format)) return undefined;
  return { channels, sampleRateHz: own(vars.numeric, 'sample_rate_hz'), format, bytesPerSample: SAMPLE_FORMATS[format] };
}
