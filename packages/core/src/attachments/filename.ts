/** What a file is called when the client gave no usable name. */
export const FALLBACK_FILENAME = 'file';
const MAX_FILENAME_BYTES = 255;
/** An extension this short is kept when a long name is cut, so the download still opens with the right app. */
const MAX_KEPT_EXTENSION_CHARS = 16;

/**
 * The client's file name made safe to store and show: only the last path segment (no `../`), no
 * control or invisible format characters (bidi overrides such as U+202E turn `gpj.exe` into a fake
 * `exe.jpg` on screen), none of the characters Windows refuses, at most 255 UTF-8 bytes, never empty.
 * It is for display and for the download's suggested name only: storage keys never derive from it.
 */
export function sanitizeFilename(raw: string | undefined): string {
  const lastSegment = (raw ?? '').normalize('NFC').split(/[/\\]/).at(-1) ?? '';
  const cleaned = lastSegment
    .replace(/\s/gu, ' ')
    // Cc: C0/C1 controls and DEL; Cf: format characters (bidi overrides and isolates, zero-width, BOM).
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/ {2,}/g, ' ')
    .trim()
    // Windows drops trailing dots and spaces; a name of dots alone ("..") means nothing.
    .replace(/[. ]+$/, '');
  if (cleaned === '') return FALLBACK_FILENAME;
  return truncateKeepingExtension(cleaned, MAX_FILENAME_BYTES);
}

function truncateKeepingExtension(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  const extension = new RegExp(`\\.[^.]{1,${MAX_KEPT_EXTENSION_CHARS}}$`).exec(name)?.[0] ?? '';
  const stem = name.slice(0, name.length - extension.length);
  return truncateUtf8(stem, maxBytes - Buffer.byteLength(extension)) + extension;
}

/** Cuts at a code point boundary, never inside a UTF-8 sequence or a surrogate pair. */
function truncateUtf8(text: string, maxBytes: number): string {
  let out = '';
  let bytes = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (bytes + size > maxBytes) break;
    out += char;
    bytes += size;
  }
  return out;
}
