/** Builds and edits Ogg files byte by byte for tests, including broken ones. */
import { oggPageCrc, readOggPage } from '../../../src/engine/audio/ogg-page';

export interface PageSpec {
  /** Packets ending on this page; `open` is a packet piece that continues on the next page. */
  packets: Uint8Array[];
  open?: Uint8Array;
  continued?: boolean;
  bos?: boolean;
  eos?: boolean;
  granule?: number;
  serial?: number;
  sequence?: number;
}

/** Lacing values for a packet: 255s then the remainder (a multiple of 255 ends in a 0). */
function lacing(length: number, ends: boolean): number[] {
  const out = Array<number>(Math.floor(length / 255)).fill(255);
  if (ends) out.push(length % 255);
  else if (length % 255 !== 0) throw new Error('a piece that continues must be a multiple of 255 bytes');
  return out;
}

export function makeOggPage(spec: PageSpec): Uint8Array {
  const segments = [...spec.packets.flatMap((p) => lacing(p.length, true)), ...(spec.open ? lacing(spec.open.length, false) : [])];
  const body = [...spec.packets, ...(spec.open ? [spec.open] : [])];
  const size = body.reduce((n, b) => n + b.length, 0);
  const page = new Uint8Array(27 + segments.length + size);
  const view = new DataView(page.buffer);
  page.set([0x4f, 0x67, 0x67, 0x53, 0]);
  page[5] = (spec.continued ? 1 : 0) | (spec.bos ? 2 : 0) | (spec.eos ? 4 : 0);
  view.setBigInt64(6, BigInt(spec.granule ?? 0), true);
  view.setUint32(14, spec.serial ?? 1, true);
  view.setUint32(18, spec.sequence ?? 0, true);
  page[26] = segments.length;
  page.set(segments, 27);
  let at = 27 + segments.length;
  for (const b of body) {
    page.set(b, at);
    at += b.length;
  }
  return withCrc(page);
}

/** The page with its checksum field set to what its bytes give. */
export function withCrc(page: Uint8Array): Uint8Array {
  new DataView(page.buffer, page.byteOffset).setUint32(22, oggPageCrc(page), true);
  return page;
}

/** The pages of a well-formed file, as copies. */
export function splitPages(file: Uint8Array): Uint8Array[] {
  const pages: Uint8Array[] = [];
  for (let at = 0; at < file.length; ) {
    const read = readOggPage(file, at);
    if (read.kind !== 'page') throw new Error(`no page at byte ${at}`);
    pages.push(Uint8Array.from(file.subarray(at, at + read.size)));
    at += read.size;
  }
  return pages;
}

export { concatBytes } from '../../../src/engine/asr/protobuf-writer';

export const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);
