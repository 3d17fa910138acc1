// A minimal protocol-buffers reader: just enough wire format to walk pprof's profile.proto
// (varints, length-delimited fields and packed repeated varints). Values are JavaScript numbers:
// exact up to 2^53, which covers every id, count and nanosecond total a profile holds (addresses
// may lose low bits; nothing here reads them).

export type Field =
  | { no: number; wire: 0; value: number }
  | { no: number; wire: 2; bytes: Uint8Array }
  | { no: number; wire: 1 | 5; value: number };

export class ProtoError extends Error {}

export class ProtoReader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new ProtoError("truncated varint");
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new ProtoError("varint longer than 10 bytes");
  }

  private take(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.buf.length) throw new ProtoError("field runs past the end of its message");
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  private fixed(n: 4 | 8): number {
    const b = this.take(n);
    let v = 0;
    for (let i = n - 1; i >= 0; i--) v = v * 256 + b[i]!;
    return v;
  }

  field(): Field {
    const key = this.varint();
    const no = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) return { no, wire, value: this.varint() };
    if (wire === 2) return { no, wire, bytes: this.take(this.varint()) };
    if (wire === 1) return { no, wire, value: this.fixed(8) };
    if (wire === 5) return { no, wire, value: this.fixed(4) };
    throw new ProtoError(`unsupported wire type ${wire} (field ${no})`);
  }
}

/** Every field of a message, in order. */
export function fields(buf: Uint8Array): Field[] {
  const r = new ProtoReader(buf);
  const out: Field[] = [];
  while (!r.done) out.push(r.field());
  return out;
}

/** A repeated varint field's values, whether written packed (one length-delimited run) or one by one. */
export function pushVarints(f: Field, into: number[]): void {
  if (f.wire === 0) {
    into.push(f.value);
  } else if (f.wire === 2) {
    const r = new ProtoReader(f.bytes);
    while (!r.done) into.push(r.varint());
  }
}

export function varintOf(f: Field): number {
  return f.wire === 0 ? f.value : 0;
}
