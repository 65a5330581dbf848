/**
 * MIME types as the WHATWG MIME Sniffing standard parses them ("parse a MIME type",
 * https://mimesniff.spec.whatwg.org/#parse-a-mime-type) and serializes them. MediaRecorder's
 * "is type supported" needs "is a valid MIME type string" and the `codecs` parameter.
 */

/** A parsed MIME type: lowercase type and subtype, parameters with lowercase names, in order. */
export interface MimeType {
  readonly type: string;
  readonly subtype: string;
  readonly parameters: ReadonlyMap<string, string>;
}

const HTTP_WHITESPACE = /^[\n\r\t ]+|[\n\r\t ]+$/g;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const QUOTED_STRING_TOKEN = /^[\t\u0020-\u007E\u0080-\u00FF]*$/;

/** "parse a MIME type": the MIME type, or null for failure. */
export function parseMimeType(input: string): MimeType | null {
  // 1.–2.
  const s = input.replace(HTTP_WHITESPACE, '');
  let position = 0;
  // 3.–5. type: up to "/".
  const slash = s.indexOf('/', position);
  if (slash < 0) return null;
  const type = s.slice(position, slash);
  if (type === '' || !TOKEN.test(type)) return null;
  position = slash + 1;
  // 7.–9. subtype: up to ";", trailing whitespace removed.
  let semicolon = s.indexOf(';', position);
  if (semicolon < 0) semicolon = s.length;
  const subtype = s.slice(position, semicolon).replace(/[\n\r\t ]+$/, '');
  if (subtype === '' || !TOKEN.test(subtype)) return null;
  position = semicolon;
  // 10.
  const parameters = new Map<string, string>();
  // 11.
  while (position < s.length) {
    // 11.1. skip ";", 11.2. leading whitespace.
    position++;
    while (position < s.length && /[\n\r\t ]/.test(s[position]!)) position++;
    // 11.3.–11.4. the name, lowercased.
    let end = position;
    while (end < s.length && s[end] !== ';' && s[end] !== '=') end++;
    const name = s.slice(position, end).toLowerCase();
    position = end;
    // 11.5.
    if (position < s.length) {
      if (s[position] === ';') continue;
      position++;
    }
    // 11.6.
    if (position >= s.length) break;
    // 11.7.–11.8. the value: a quoted string or up to ";".
    let value: string;
    if (s[position] === '"') {
      [value, position] = collectQuotedString(s, position);
      while (position < s.length && s[position] !== ';') position++;
    } else {
      end = s.indexOf(';', position);
      if (end < 0) end = s.length;
      value = s.slice(position, end).replace(/[\n\r\t ]+$/, '');
      position = end;
      if (value === '') continue;
    }
    // 11.9.
    if (name !== '' && TOKEN.test(name) && QUOTED_STRING_TOKEN.test(value) && !parameters.has(name)) parameters.set(name, value);
  }
  return { type: type.toLowerCase(), subtype: subtype.toLowerCase(), parameters };
}

/** "collect an HTTP quoted string" with the extract-value flag set. */
function collectQuotedString(s: string, start: number): [string, number] {
  let value = '';
  let position = start + 1;
  while (position < s.length) {
    const c = s[position]!;
    position++;
    if (c === '\\') {
      if (position >= s.length) {
        value += '\\';
        break;
      }
      value += s[position]!;
      position++;
    } else if (c === '"') break;
    else value += c;
  }
  return [value, position];
}

/** The essence: `type/subtype`. */
export function essence(mime: MimeType): string {
  return `${mime.type}/${mime.subtype}`;
}
