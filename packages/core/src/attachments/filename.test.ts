import { describe, expect, it } from 'vitest';
import { detectContentType, FALLBACK_CONTENT_TYPE } from './content-type';
import { FALLBACK_FILENAME, sanitizeFilename } from './filename';

describe('sanitizeFilename', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\report.pdf', 'report.pdf'],
    ['  quarterly\treport .pdf  ', 'quarterly report .pdf'],
    ['bell\u0007and\u001b[31mescape.txt', 'belland[31mescape.txt'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['isolate\u2066d\u2069.png', 'isolated.png'],
    ['a<b>c:d"e|f?g*h.txt', 'a_b_c_d_e_f_g_h.txt'],
    ['trailing dots...', 'trailing dots'],
    ['.env', '.env'],
    ['Résumé 日本.pdf', 'Résumé 日本.pdf'],
  ])('given %j, then it is stored as %j', (raw, expected) => {
    expect(sanitizeFilename(raw)).toBe(expected);
  });

  it.each([[undefined], [''], ['..'], ['/'], ['\u0000\u202E'], ['   ']])(
    'given a name with nothing usable left (%j), then it falls back to a fixed name',
    (raw) => {
      expect(sanitizeFilename(raw)).toBe(FALLBACK_FILENAME);
    },
  );

  it('given a name over 255 UTF-8 bytes, then it is cut on a character boundary and keeps its extension', () => {
    const name = `${'日'.repeat(200)}.pdf`;
    const sanitized = sanitizeFilename(name);
    expect(Buffer.byteLength(sanitized)).toBeLessThanOrEqual(255);
    expect(sanitized).toBe(`${'日'.repeat(83)}.pdf`);
    expect(sanitizeFilename('😀'.repeat(100))).toBe('😀'.repeat(63));
  });
});

describe('detectContentType', () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

  it('given PNG bytes declared as text/plain, then the bytes win', async () => {
    expect(await detectContentType(png, 'text/plain')).toBe('image/png');
  });

  it('given bytes it does not recognise, then a plausible declared type is kept, without parameters', async () => {
    expect(await detectContentType(Buffer.from('hello'), 'Text/Plain; charset=utf-8')).toBe('text/plain');
  });

  it('given bytes that make the sniffer throw (a broken zip), then it falls back instead of failing', async () => {
    const brokenZip = Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.alloc(60)]);
    expect(await detectContentType(brokenZip, 'application/pdf')).toBe('application/pdf');
  });

  it.each([[undefined], ['nonsense'], ['text/plain\r\nX-Evil: 1'], ['application/']])(
    'given unrecognised bytes and an implausible declared type (%j), then it is octet-stream',
    async (declared) => {
      expect(await detectContentType(Buffer.from('hello'), declared)).toBe(FALLBACK_CONTENT_TYPE);
    },
  );

  it('given a zip declared as a specific office type, then the specific type is kept; as HTML, it is not', async () => {
    const zip = Buffer.from(
      '504b03041400000000004d307d5dac2a93d8020000000200000005000000612e7478746869504b010214031400000000004d307d' +
        '5dac2a93d80200000002000000050000000000000000000000800100000000612e747874504b0506000000000100010033000000' +
        '250000000000',
      'hex',
    );
    const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    expect(await detectContentType(zip, docx)).toBe(docx);
    expect(await detectContentType(zip, 'application/xhtml+xml')).toBe('application/zip');
  });
});
