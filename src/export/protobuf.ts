/**
 * A minimal Protocol Buffers writer: the wire format (varints, 32-bit floats, length-delimited bytes and
 * nested messages), enough to write ONNX files in the browser without a schema compiler.
 *
 * A message is kept as a list of chunks until `finish()`, so a large tensor's bytes are copied once, into
 * the final buffer, however deep the message that holds them.
 */

const WireType = { Varint: 0, Fixed32: 5, LengthDelimited: 2 } as const;
type WireType = (typeof WireType)[keyof typeof WireType];

const TEXT = new TextEncoder();

function varintBytes(value: number | bigint): Uint8Array {
  // Negative integers are written as their 64-bit two's complement: ten bytes.
  let v = typeof value === 'bigint' ? BigInt.asUintN(64, value) : value < 0 ? BigInt.asUintN(64, BigInt(value)) : value;
  const out: number[] = [];
  if (typeof v === 'bigint') {
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
  } else {
    if (!Number.isSafeInteger(v)) throw new Error(`varint out of range: ${v}`);
    while (v >= 0x80) {
      out.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    out.push(v);
  }
  return Uint8Array.from(out);
}

export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  /** Bytes written so far. */
  length = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  private tag(field: number, wire: WireType): void {
    this.push(varintBytes(field * 8 + wire));
  }

  /** int32, int64, enum and bool fields. */
  int(field: number, value: number | bigint): this {
    this.tag(field, WireType.Varint);
    this.push(varintBytes(value));
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, WireType.Fixed32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.push(bytes);
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.tag(field, WireType.LengthDelimited);
    this.push(varintBytes(data.length));
    if (data.length > 0) this.push(data);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, TEXT.encode(value));
  }

  message(field: number, message: ProtoWriter): this {
    this.tag(field, WireType.LengthDelimited);
    this.push(varintBytes(message.length));
    for (const chunk of message.chunks) this.push(chunk);
    return this;
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}
