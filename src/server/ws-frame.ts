/**
 * One unfragmented, unmasked WebSocket text frame (RFC 6455 §5.2), as a
 * server sends it: FIN and opcode 0x1, then the payload length in 7, 7+16
 * or 7+64 bits, then the UTF-8 text. One buffer, so a live result goes to
 * its socket in one write (issue "live feeds": latency at 1,000
 * subscribers); `ws` sends a header and a payload as two.
 */
export function textFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const header = length > 0xffff ? 10 : length > 125 ? 4 : 2;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81;
  if (header === 2) frame[1] = length;
  else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.write(text, header, 'utf8');
  return frame;
}
