import { toTicketsError } from './errors';
import type { Attachment } from './types';

/** How the helpers reach the server: the same URL, credentials and fetch as the tRPC calls. */
export interface Transport {
  baseUrl: string;
  fetch: typeof globalThis.fetch;
  headers: () => Record<string, string>;
  /** False when the caller supplied its own fetch, which every request must then go through. */
  mayUseXhr: boolean;
}

/**
 * Where upload progress stands: `total` is unknown for a stream whose `size` was not given.
 *
 * @example
 * const onProgress = ({ loaded, total }: UploadProgress) => total && setPercent((100 * loaded) / total);
 */
export interface UploadProgress {
  loaded: number;
  total: number | undefined;
}

/**
 * The bytes to upload: a `Blob`/`File` (browsers), a `Uint8Array`/`Buffer`, a web `ReadableStream`, or any
 * async iterable of bytes such as a Node `Readable` (`fs.createReadStream(path)`).
 *
 * @example
 * const file: UploadSource = input.files[0]; // or createReadStream('./log.txt'), or Buffer.from('hi')
 */
export type UploadSource = Blob | Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * What `client.uploadAttachment` takes.
 *
 * @example
 * const input: UploadAttachmentInput = { ticketId, file, internal: true, onProgress: console.log };
 */
export interface UploadAttachmentInput {
  ticketId: string;
  file: UploadSource;
  /** Defaults to the `File`'s name or the read stream's file name, else `attachment`. */
  filename?: string;
  /** Defaults to the `Blob`'s type; the server also checks the bytes themselves. */
  contentType?: string;
  /** Staff only: an attachment requesters cannot see. */
  internal?: boolean;
  /** Attach to this message of the ticket rather than to the ticket itself. */
  messageId?: string;
  /** The stream's length in bytes, if known: the server then refuses an oversized file before it is sent. */
  size?: number;
  /** Called as bytes leave (streamed uploads), and once with everything sent. */
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

/**
 * What `client.downloadAttachment` gives: the bytes as they arrive, and what to call them.
 *
 * @example
 * const { stream, filename, contentType } = await client.downloadAttachment(id);
 * const url = URL.createObjectURL(await new Response(stream, { headers: { 'content-type': contentType } }).blob());
 */
export interface DownloadedAttachment {
  /** The bytes, as a web stream (`Readable.fromWeb(stream)` turns it into a Node stream). */
  stream: ReadableStream<Uint8Array>;
  filename: string;
  contentType: string;
  size: number;
}

const encoder = new TextEncoder();

export async function uploadAttachment(
  transport: Transport,
  input: UploadAttachmentInput,
): Promise<Attachment> {
  const boundary = `----tickets-${globalThis.crypto.randomUUID()}`;
  // The server authorises the upload from these fields before it stores a byte: they must precede the file.
  const fields: Array<[string, string]> = [['ticketId', input.ticketId]];
  if (input.messageId !== undefined) fields.push(['messageId', input.messageId]);
  if (input.internal !== undefined) fields.push(['internal', String(input.internal)]);
  const filename = input.filename ?? filenameOf(input.file) ?? 'attachment';
  // Line breaks would end the part's headers early: a type is one line.
  const contentType = (
    input.contentType ??
    (isBlob(input.file) && input.file.type ? input.file.type : 'application/octet-stream')
  ).replace(/[\r\n]/g, '');
  const head = encoder.encode(
    fields.map(([name, value]) => `--${boundary}\r\n${disposition(name)}\r\n\r\n${value}\r\n`).join('') +
      `--${boundary}\r\n${disposition('file', filename)}\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  const total = isBlob(input.file)
    ? input.file.size
    : input.file instanceof Uint8Array
      ? input.file.byteLength
      : input.size;
  const bodyLength = total === undefined ? undefined : head.byteLength + total + tail.byteLength;

  const headers: Record<string, string> = {
    ...transport.headers(),
    'content-type': `multipart/form-data; boundary=${boundary}`,
  };
  // A streamed body lets us count bytes as fetch takes them. Browsers only stream request bodies over
  // HTTP/2, so there a Blob/Uint8Array goes whole and progress is reported once, at the end.
  const streamed = isStreamSource(input.file) || (input.onProgress !== undefined && isNode());
  const counted = { loaded: 0 };
  const init: RequestInit & { duplex?: 'half' } = streamed
    ? { body: streamBody(head, input.file, tail, counted, total, input.onProgress), duplex: 'half' }
    : { body: new Blob([head, input.file as Blob | Uint8Array<ArrayBuffer>, tail]) };
  if (streamed && bodyLength !== undefined) headers['content-length'] = String(bodyLength);
  const url = `${transport.baseUrl}/api/attachments`;
  // Browsers send a fetch body whole over HTTP/1.1 (streamed request bodies need HTTP/2), so fetch
  // gives no progress there; XMLHttpRequest's upload events do.
  const xhr = !streamed && input.onProgress !== undefined && transport.mayUseXhr && hasXhr();
  const response = xhr
    ? await xhrPost(url, init.body as Blob, headers, input.onProgress!, input.signal)
    : await transport.fetch(url, {
        ...init,
        method: 'POST',
        headers,
        credentials: 'include',
        ...(input.signal ? { signal: input.signal } : {}),
      });
  if (!response.ok) throw await toTicketsError(response);
  const sent = streamed ? counted.loaded : (total ?? 0);
  input.onProgress?.({ loaded: sent, total: sent });
  const json = (await response.json()) as Omit<Attachment, 'createdAt'> & { createdAt: string };
  return { ...json, createdAt: new Date(json.createdAt) } as Attachment;
}

export async function downloadAttachment(
  transport: Transport,
  id: string,
  options: { signal?: AbortSignal } = {},
): Promise<DownloadedAttachment> {
  const response = await transport.fetch(`${transport.baseUrl}/api/attachments/${encodeURIComponent(id)}`, {
    headers: transport.headers(),
    credentials: 'include',
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!response.ok) throw await toTicketsError(response);
  return {
    stream: response.body ?? new Blob([]).stream(),
    filename: parseFilename(response.headers.get('content-disposition')) ?? 'attachment',
    contentType: response.headers.get('content-type') ?? 'application/octet-stream',
    size: Number(response.headers.get('content-length') ?? 0),
  };
}

/** The part of the browser's XMLHttpRequest used here (the SDK is also type-checked without the DOM library). */
interface XhrLike {
  open(method: string, url: string): void;
  withCredentials: boolean;
  responseType: 'blob';
  readonly status: number;
  readonly response: unknown;
  readonly upload: { onprogress: ((event: { loaded: number; total: number }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  onloadend: (() => void) | null;
  setRequestHeader(name: string, value: string): void;
  getAllResponseHeaders(): string;
  abort(): void;
  send(body: Blob): void;
}
const xhrClass = () => (globalThis as { XMLHttpRequest?: new () => XhrLike }).XMLHttpRequest;
const hasXhr = () => typeof xhrClass() === 'function';

/** A POST through XMLHttpRequest, reporting upload progress, answered as a fetch Response. */
function xhrPost(
  url: string,
  body: Blob,
  headers: Record<string, string>,
  onProgress: (progress: UploadProgress) => void,
  signal: AbortSignal | undefined,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const Xhr = xhrClass()!;
    const request = new Xhr();
    request.open('POST', url);
    request.withCredentials = true;
    request.responseType = 'blob';
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) =>
      onProgress({ loaded: event.loaded, total: event.total || undefined });
    request.onload = () => {
      const responseHeaders = new Headers();
      for (const line of request
        .getAllResponseHeaders()
        .trim()
        .split(/[\r\n]+/)) {
        const colon = line.indexOf(':');
        if (colon > 0) responseHeaders.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      resolve(new Response(request.response as Blob, { status: request.status, headers: responseHeaders }));
    };
    request.onerror = () => reject(new TypeError('The upload failed: the server could not be reached.'));
    const abort = () => request.abort();
    request.onabort = () =>
      reject(signal?.reason ?? new DOMException('The upload was aborted.', 'AbortError'));
    signal?.addEventListener('abort', abort, { once: true });
    request.onloadend = () => signal?.removeEventListener('abort', abort);
    request.send(body);
  });
}

function streamBody(
  head: Uint8Array,
  file: UploadSource,
  tail: Uint8Array,
  counted: { loaded: number },
  total: number | undefined,
  onProgress: ((progress: UploadProgress) => void) | undefined,
): ReadableStream<Uint8Array> {
  let iterator: AsyncIterator<Uint8Array> | undefined;
  let stage: 'head' | 'file' | 'done' = 'head';
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (stage === 'head') {
        stage = 'file';
        iterator = chunksOf(file)[Symbol.asyncIterator]();
        controller.enqueue(head);
        return;
      }
      if (stage === 'done' || !iterator) return;
      const next = await iterator.next();
      if (next.done) {
        stage = 'done';
        controller.enqueue(tail);
        controller.close();
        return;
      }
      const chunk = next.value instanceof Uint8Array ? next.value : encoder.encode(String(next.value));
      counted.loaded += chunk.byteLength;
      controller.enqueue(chunk);
      onProgress?.({ loaded: counted.loaded, total });
    },
    async cancel(reason) {
      await iterator?.return?.(reason);
    },
  });
}

async function* chunksOf(file: UploadSource): AsyncIterable<Uint8Array> {
  if (file instanceof Uint8Array) {
    // Slices, so that progress moves while a large buffer is sent.
    for (let offset = 0; offset < file.byteLength; offset += 64 * 1024) {
      yield file.subarray(offset, offset + 64 * 1024);
    }
    return;
  }
  const stream = isBlob(file) ? file.stream() : file;
  if (Symbol.asyncIterator in stream) {
    yield* stream as AsyncIterable<Uint8Array>;
    return;
  }
  const reader = (stream as ReadableStream<Uint8Array>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

const isBlob = (value: unknown): value is Blob => typeof Blob !== 'undefined' && value instanceof Blob;
const isStreamSource = (value: UploadSource) => !isBlob(value) && !(value instanceof Uint8Array);
const isNode = () =>
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

function filenameOf(file: UploadSource): string | undefined {
  const name = (file as { name?: unknown }).name;
  if (typeof name === 'string' && name) return name;
  // A Node read stream carries the path it reads.
  const path = (file as { path?: unknown }).path;
  if (typeof path === 'string' && path) return path.split(/[\\/]/).pop() || undefined;
  return undefined;
}

/** A form-data part header; quotes and line breaks in names are percent-escaped, as browsers do. */
function disposition(name: string, filename?: string): string {
  const percentEscape = (value: string) =>
    value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return `Content-Disposition: form-data; name="${name}"${filename === undefined ? '' : `; filename="${percentEscape(filename)}"`}`;
}

/** RFC 6266: the exact UTF-8 name of `filename*`, else the plain `filename`. */
function parseFilename(header: string | null): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header)?.[1];
  if (extended) {
    try {
      return decodeURIComponent(extended.trim());
    } catch {
      // A malformed encoding: fall back to the plain name.
    }
  }
  return (
    /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header)?.[1] ?? /filename\s*=\s*([^;\s]+)/i.exec(header)?.[1]
  );
}
