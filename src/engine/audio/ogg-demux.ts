import { isCapturePattern, readOggPage, type OggPage } from './ogg-page';

/** A packet of the stream being followed, with what its page says about it. */
export interface OggPacket {
  data: Uint8Array;
  /** The first packet of a logical stream (its codec's identification header). */
  bos: boolean;
  /** The last packet of a logical stream. */
  eos: boolean;
  /** The page's granule position when this is the last packet ending on its page, else −1. */
  granule: number;
}

/** What the demuxer had to skip; the decoder turns the counts into warnings. */
export interface OggDamage {
  /** Bytes between pages that were not a valid page (garbage, or a page failing its checksum). */
  skippedBytes: number;
  /** Pages that failed their checksum. */
  badChecksums: number;
  /** Packets lost to a missing or damaged page (a sequence gap, a continuation without its start). */
  lostPackets: number;
  /** Bytes at the end of the file that do not make a whole page. */
  truncatedBytes: number;
}

const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

/**
 * Ogg pages in, packets out (RFC 3533), fed the file in pieces of any size. It follows the
 * first logical stream, and after that stream's last page the next one to begin (a chained
 * file, e.g. concatenated recordings); pages of streams multiplexed beside it are passed over.
 * Damaged pages are skipped (resynchronising on the next capture pattern) and counted.
 */
export class OggDemuxer {
  readonly damage: OggDamage = { skippedBytes: 0, badChecksums: 0, lostPackets: 0, truncatedBytes: 0 };
  private carry: Uint8Array | undefined;
  private serial: number | undefined;
  private ended = false;
  private nextSequence = 0;
  /** The start of a packet that continues on the next page. */
  private partial: Uint8Array | undefined;
  private startsLink = false;

  /** The packets completed by this piece of the file. */
  feed(chunk: Uint8Array): OggPacket[] {
    const bytes = this.carry ? concat(this.carry, chunk) : chunk;
    this.carry = undefined;
    const packets: OggPacket[] = [];
    let at = 0;
    while (at < bytes.length) {
      const read = readOggPage(bytes, at);
      if (read.kind === 'partial') {
        this.carry = bytes.subarray(at);
        break;
      }
      if (read.kind === 'not-a-page') {
        if (read.why === 'checksum') this.damage.badChecksums += 1;
        let next = at + 1;
        while (next < bytes.length && !(isCapturePattern(bytes, next) || bytes.length - next < 4)) next += 1;
        this.damage.skippedBytes += next - at;
        at = next;
        continue;
      }
      this.page(read.page, packets);
      at += read.size;
    }
    return packets;
  }

  /** The file has ended: what is left over is a truncated page. */
  end(): void {
    if (this.carry) this.damage.truncatedBytes += this.carry.length;
    if (this.partial) this.damage.lostPackets += 1;
    this.carry = undefined;
    this.partial = undefined;
  }

  private page(page: OggPage, packets: OggPacket[]): void {
    if (page.bos && (this.serial === undefined || this.ended)) {
      // A stream begins: the first one, or the next link after the followed one ended (its
      // serial number may even be the same, in a file made by concatenating two).
      this.serial = page.serial;
      this.ended = false;
      this.startsLink = true;
      this.partial = undefined;
      this.nextSequence = page.sequence;
    } else if (page.serial !== this.serial || this.ended) {
      return;
    }
    if (page.sequence !== this.nextSequence) {
      // A page went missing: a packet it continued cannot be completed.
      if (this.partial) this.damage.lostPackets += 1;
      this.partial = undefined;
    }
    this.nextSequence = (page.sequence + 1) >>> 0;
    const { segments, body } = page;
    let skipping = page.continued && !this.partial;
    if (!page.continued && this.partial) {
      this.damage.lostPackets += 1;
      this.partial = undefined;
    }
    let lastEnd = -1;
    for (let i = 0; i < segments.length; i++) if (segments[i] < 255) lastEnd = i;
    let start = 0;
    let pos = 0;
    for (let i = 0; i < segments.length; i++) {
      pos += segments[i];
      if (segments[i] === 255) continue;
      if (skipping) {
        // The rest of a packet whose start was lost.
        this.damage.lostPackets += 1;
        skipping = false;
      } else {
        const piece = body.subarray(start, pos);
        const data = this.partial ? concat(this.partial, piece) : piece;
        this.partial = undefined;
        const last = i === lastEnd;
        packets.push({ data, bos: this.startsLink, eos: last && page.eos, granule: last ? page.granule : -1 });
        this.startsLink = false;
      }
      start = pos;
    }
    if (start < pos && !skipping) this.partial = this.partial ? concat(this.partial, body.subarray(start, pos)) : body.slice(start, pos);
    if (page.eos) {
      this.ended = true;
      if (this.partial) this.damage.lostPackets += 1;
      this.partial = undefined;
    }
  }
}
