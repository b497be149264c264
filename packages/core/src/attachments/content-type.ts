import { fileTypeFromBuffer } from 'file-type';

/** How many leading bytes the sniffer looks at (file-type's own "reasonable detection size"). */
export const SNIFF_BYTES = 4100;

export const FALLBACK_CONTENT_TYPE = 'application/octet-stream';

// Generic containers: a docx, an xlsx or an epub is a zip, an old .doc is a CFB. The bytes cannot tell
// which, so a specific `application/*` claim from the client is kept for them.
const containerTypes = new Set(['application/zip', 'application/x-cfb']);

// Types a browser would run or render as a document. They are still stored as claimed (the download
// route never serves anything inline), but a container's bytes never get to pretend to be one.
const activeTypes = new Set([
  'text/html',
  'application/xhtml+xml',
  'image/svg+xml',
  'text/xml',
  'application/xml',
  'text/javascript',
  'application/javascript',
  'application/ecmascript',
  'text/ecmascript',
]);

const mediaTypePattern =
  /^(application|audio|font|image|model|text|video)\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/** The client's declared type without parameters, if it looks like a real media type; else undefined. */
export function plausibleMediaType(declared: string | undefined): string | undefined {
  const essence = declared?.split(';', 1)[0]?.trim().toLowerCase();
  return essence && mediaTypePattern.test(essence) ? essence : undefined;
}

/**
 * The type to store: what the bytes say where the sniffer recognises them (a PNG claimed as
 * text/plain is stored image/png), else the client's claim if plausible, else octet-stream.
 */
export async function detectContentType(head: Uint8Array, declared: string | undefined): Promise<string> {
  const claimed = plausibleMediaType(declared);
  const sniffed = await sniff(head);
  if (sniffed) {
    const keepClaim =
      containerTypes.has(sniffed) && claimed?.startsWith('application/') && !activeTypes.has(claimed);
    return keepClaim && claimed ? claimed : sniffed;
  }
  return claimed ?? FALLBACK_CONTENT_TYPE;
}

async function sniff(head: Uint8Array): Promise<string | undefined> {
  if (head.length === 0) return undefined;
  try {
    return (await fileTypeFromBuffer(head))?.mime;
  } catch {
    // Some parsers throw on malformed or truncated input (a zip whose head is cut at 4 KiB, hostile
    // bytes): the bytes then tell nothing, and the declared type decides.
    return undefined;
  }
}
