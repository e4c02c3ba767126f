/**
 * Metadata files: `key: value` / `key=value` lines or a flat JSON object. Every variable is
 * typed: a strict numeric literal is numeric, anything else (or a quoted value) is text.
 */
import type { SessionVariables } from './manifest-types.js';
import type { Problem } from './validation-types.js';
import { isDefined, isVariableName, VARIABLE_NAME } from './variable-rules.js';

/** The variable-name rule (shared with the server: variable-rules.ts). */
export const METADATA_KEY = VARIABLE_NAME;
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
/** A number written with a decimal (or thousands) comma: `22,5`. Kept as text, with a warning. */
const COMMA_NUMBER = /^[-+]?\d+,\d+$/;

/** True for names that are the session's metadata file (case-insensitive). */
export function isMetadataFileName(name: string): boolean {
  return /^metadata\.(txt|json)$/i.test(name) || /\.meta(\.txt|\.json)?$/i.test(name);
}

export function typeValue(raw: string): { numeric: number } | { text: string } {
  const v = raw.trim();
  if (NUMBER.test(v)) {
    const n = Number(v);
    if (Number.isFinite(n)) return { numeric: n };
  }
  const quoted = /^"(.*)"$/.exec(v) ?? /^'(.*)'$/.exec(v);
  return { text: quoted ? quoted[1] : v };
}

export interface ParsedMetadata {
  variables: SessionVariables;
  problems: Problem[];
}

export function parseMetadata(path: string, text: string): ParsedMetadata {
  const body = text.replace(/^\uFEFF/, '');
  return /\.json$/i.test(path) || /^\s*\{/.test(body) ? parseJson(path, body) : parseLines(path, body);
}

function problem(path: string, code: string, message: string, fix: string, field?: string, value?: string): Problem {
  return { path, code, field, value, message, fix, severity: 'error' };
}

function put(vars: SessionVariables, problems: Problem[], path: string, key: string, value: { numeric: number } | { text: string }, where: string): void {
  if (!isVariableName(key)) {
    problems.push(
      problem(
        path,
        'metadata.bad_key',
        `${where}: variable name ${JSON.stringify(key)} is not snake_case`,
        'use lowercase letters, digits and underscores, starting with a letter (e.g. hardware_model)',
        key,
      ),
    );
    return;
  }
  if (isDefined(vars, key)) {
    problems.push(problem(path, 'metadata.duplicate_key', `${where}: variable "${key}" is defined twice`, 'keep one definition', key));
    return;
  }
  if ('numeric' in value) vars.numeric[key] = value.numeric;
  else vars.text[key] = value.text;
}

function parseLines(path: string, text: string): ParsedMetadata {
  const variables: SessionVariables = { numeric: {}, text: {} };
  const problems: Problem[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return;
    const m = /^([^:=]+?)\s*[:=]\s*(.*)$/.exec(t);
    if (!m) {
      problems.push(
        problem(
          path,
          'metadata.bad_line',
          `line ${i + 1}: ${JSON.stringify(t.slice(0, 60))} is not "key: value" or "key=value"`,
          'write one variable per line as key: value',
          undefined,
          t.slice(0, 60),
        ),
      );
      return;
    }
    const value = typeValue(m[2]);
    put(variables, problems, path, m[1].trim(), value, `line ${i + 1}`);
    if ('text' in value && COMMA_NUMBER.test(value.text) && m[2].trim() === value.text)
      problems.push({
        ...problem(
          path,
          'metadata.not_a_number',
          `line ${i + 1}: ${m[1].trim()} = ${JSON.stringify(value.text)} looks like a number written with a comma; it is kept as text`,
          `write ${value.text.replace(',', '.')} if it is a number (a decimal point); a query finds it as ${m[1].trim()}=${value.text}`,
          m[1].trim(),
          value.text,
        ),
        severity: 'warning',
      });
  });
  if (problems.length === 0 && Object.keys(variables.numeric).length + Object.keys(variables.text).length === 0) {
    problems.push(problem(path, 'metadata.empty', 'the metadata file defines no variables', 'add at least one "key: value" line'));
  }
  return { variables, problems };
}

function parseJson(path: string, text: string): ParsedMetadata {
  const variables: SessionVariables = { numeric: {}, text: {} };
  const problems: Problem[] = [];
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    return {
      variables,
      problems: [problem(path, 'metadata.bad_json', `not valid JSON: ${(e as Error).message}`, 'fix the JSON syntax (a flat object of numbers and strings)')],
    };
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    return {
      variables,
      problems: [problem(path, 'metadata.bad_json', 'the JSON is not an object', 'write a flat object like {"fatigue": 3, "hardware_model": "NX-100"}')],
    };
  }
  for (const [key, value] of Object.entries(obj)) {
    if (typeof value === 'number' && Number.isFinite(value)) put(variables, problems, path, key, { numeric: value }, `key "${key}"`);
    else if (typeof value === 'string') put(variables, problems, path, key, { text: value }, `key "${key}"`);
    else
      problems.push(
        problem(
          path,
          'metadata.bad_value',
          `key "${key}" has a ${value === null ? 'null' : Array.isArray(value) ? 'list' : typeof value} value`,
          'use a number or a string (flatten nested values into keys like device_model)',
          key,
          JSON.stringify(value)?.slice(0, 40),
        ),
      );
  }
  return { variables, problems };
}
