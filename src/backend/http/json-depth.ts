/**
 * A bound on how deeply a request body nests, checked on the text before it is parsed.
 * JSON.parse itself takes 500,000 nested arrays in stride, but anything that then walks the value
 * recursively (JSON.stringify in an error message, a validator) overflows the stack, and a
 * RangeError is an internal error that clients are told to retry. Refusing the body up front makes
 * it a plain 400 that no client retries.
 */

/** Deepest nesting the API accepts: a manifest nests 3 levels, an event's `data` a few more. */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x5b, 0x7b]); // [ {
const CLOSE = new Set([0x5d, 0x7d]); // ] }

/**
 * Whether the JSON text opens more than `limit` arrays or objects inside each other. One pass,
 * no allocation; brackets inside strings do not count. Malformed text is left to JSON.parse.
 */
export function jsonDepthExceeds(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (OPEN.has(c)) {
      if (++depth > limit) return true;
    } else if (CLOSE.has(c)) depth--;
  }
  return false;
}
