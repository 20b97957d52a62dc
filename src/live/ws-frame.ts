/**
 * WebSocket text frames for live results, put together as strings of bytes:
 * one latin1 character per byte, written with the 'latin1' encoding, which
 * copies them as they are. A result is UTF-8 encoded once (`utf8Bytes`) and
 * every subscriber's frame is a header, its operation's prefix and those
 * bytes, written in one call: no buffer to allocate and nothing to encode
 * per subscriber (issue "live feeds": latency at 1,000 subscribers).
 */

/** The UTF-8 encoding of `text`, one latin1 character per byte. */
export const utf8Bytes = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

/**
 * The header of an unfragmented, unmasked text frame (RFC 6455 §5.2) as a
 * server sends it, for a payload of `length` bytes: FIN and opcode 0x1, then
 * the length in 7, 7+16 or 7+64 bits.
 */
export function frameHeader(length: number): string {
  if (length <= 125) return String.fromCharCode(0x81, length);
  if (length <= 0xffff) return String.fromCharCode(0x81, 126, length >>> 8, length & 0xff);
  const high = Math.floor(length / 2 ** 32);
  return String.fromCharCode(
    0x81,
    127,
    0,
    0,
    (high >>> 8) & 0xff,
    high & 0xff,
    (length >>> 24) & 0xff,
    (length >>> 16) & 0xff,
    (length >>> 8) & 0xff,
    length & 0xff,
  );
}
