/**
 * Ogg Opus files (RFC 7845) decoded by Earshot's own Ogg demuxer feeding libopus packet by
 * packet: the headers are read here, pre-skip and the end trimming the last granule position
 * asks for are applied here, and the output gain too.
 */
import { FormatProblem } from './audio-error';
import type { CodecOutput } from './codec-output';
import { libopusErrorName, loadLibopus, type Libopus, type OpusPacketDecoder } from './libopus';
import { OggDemuxer, type OggDamage, type OggPacket } from './ogg-demux';
import { isOpusHead, isOpusTags, parseOpusHead, type OpusHead } from './opus-head';
import { opusPacketSamples } from './opus-packet';

/** One logical stream of the file (a chained file has several, one after another). */
interface Link {
  head: OpusHead;
  decoder: OpusPacketDecoder;
  gain: number;
  tagsSeen: boolean;
  /** Output samples still to drop for pre-skip. */
  preSkipLeft: number;
  /** Samples at 48 kHz the link's packets hold so far, pre-skip included. */
  coded: number;
  /** The granule position the link's audio starts at (known at its first page's end). */
  start: number | undefined;
  /** Output samples kept so far (after pre-skip). */
  kept: number;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function damageWarnings(d: OggDamage): string[] {
  const out: string[] = [];
  if (d.badChecksums > 0) out.push(`Ogg: ${plural(d.badChecksums, 'page')} failed the checksum and ${d.badChecksums === 1 ? 'was' : 'were'} skipped`);
  else if (d.skippedBytes > 0) out.push(`Ogg: ${plural(d.skippedBytes, 'byte')} between pages were not Ogg data and were skipped`);
  if (d.lostPackets > 0) out.push(`Ogg: ${plural(d.lostPackets, 'packet')} lost with missing or damaged pages`);
  if (d.truncatedBytes > 0) out.push(`file ends inside an Ogg page (the last ${plural(d.truncatedBytes, 'byte')} are not a whole page)`);
  return out;
}

export class OggOpusDecoder {
  private demux = new OggDemuxer();
  private link: Link | undefined;
  /** The first link's channel count: the layout of every block. */
  private channels = 0;
  private skippedLinks = 0;

  constructor(
    private readonly libopus: Libopus,
    /** The rate libopus synthesises (8, 12, 16, 24 or 48 kHz). */
    readonly sampleRate: number,
  ) {}

  decode(bytes: Uint8Array): CodecOutput {
    return this.decodePackets(this.demux.feed(bytes));
  }

  flush(): CodecOutput {
    this.demux.end();
    const warnings = damageWarnings(this.demux.damage);
    if (this.skippedLinks > 0) warnings.push(`skipped ${plural(this.skippedLinks, 'chained stream')} that ${this.skippedLinks === 1 ? 'is' : 'are'} not Opus`);
    this.endLink();
    return this.output([], 0, [], warnings);
  }

  /** Ready for another file. */
  reset(): void {
    this.endLink();
    this.demux = new OggDemuxer();
    this.channels = 0;
    this.skippedLinks = 0;
  }

  private endLink(): void {
    this.link?.decoder.close();
    this.link = undefined;
  }

  private output(channelData: Float32Array[], samplesDecoded: number, errors: { message: string }[], warnings: string[]): CodecOutput {
    return { channelData, samplesDecoded, sampleRate: this.sampleRate, errors, warnings };
  }

  private startLink(packet: OggPacket): void {
    this.endLink();
    if (!isOpusHead(packet.data)) {
      if (this.channels === 0) throw new FormatProblem('unsupported-codec', 'the Ogg stream does not hold Opus');
      this.skippedLinks += 1;
      return;
    }
    const head = parseOpusHead(packet.data);
    if (this.channels === 0) this.channels = head.channels;
    this.link = {
      head,
      decoder: this.libopus.open(head, this.sampleRate),
      gain: 10 ** (head.outputGainDb / 20),
      tagsSeen: false,
      preSkipLeft: Math.round((head.preSkip * this.sampleRate) / 48000),
      coded: 0,
      start: undefined,
      kept: 0,
    };
  }

  private decodePackets(packets: OggPacket[]): CodecOutput {
    const perSample = this.sampleRate / 48000;
    // Sized from the packets' TOC bytes; headers and damaged packets only make it larger.
    let capacity = 0;
    for (const p of packets) capacity += opusPacketSamples(p.data) * perSample;
    const out: Float32Array[] = Array.from({ length: Math.max(1, this.channels) }, () => new Float32Array(capacity));
    const errors: { message: string }[] = [];
    let at = 0;
    /** Where the current link's samples begin in `out`: end trimming stops there. */
    let linkFrom = 0;
    for (const packet of packets) {
      if (packet.bos) {
        this.startLink(packet);
        while (out.length < this.channels) out.push(new Float32Array(capacity));
        linkFrom = at;
        continue;
      }
      const link = this.link;
      if (!link) continue;
      if (!link.tagsSeen) {
        if (!isOpusTags(packet.data)) throw new FormatProblem('bad-header', 'Ogg Opus stream lacks its OpusTags packet (RFC 7845 puts it second)');
        link.tagsSeen = true;
        continue;
      }
      link.coded += opusPacketSamples(packet.data);
      // An empty packet is not a valid Opus packet (RFC 6716 §3.4, R1): OPUS_INVALID_PACKET.
      let n = packet.data.length === 0 ? -4 : link.decoder.decode(packet.data);
      if (n < 0) {
        errors.push({ message: `libopus: ${libopusErrorName(n)}` });
        n = 0;
      }
      const skip = Math.min(n, link.preSkipLeft);
      link.preSkipLeft -= skip;
      const keep = n - skip;
      if (keep > 0) {
        for (let c = 0; c < out.length; c++) {
          if (out[c].length < at + keep) out[c] = grown(out[c], at + keep);
          // A later link with fewer channels repeats its last one.
          link.decoder.copyChannel(Math.min(c, link.head.channels - 1), n, skip, out[c], at, link.gain);
        }
        at += keep;
        link.kept += keep;
      }
      if (packet.granule >= 0) {
        // The first page's granule minus what its packets hold is where the audio starts
        // (0 for a file that starts at the beginning); a last page that is also the first
        // may hold less than its packets code, which is what end trimming is for.
        link.start ??= packet.eos ? 0 : Math.max(0, packet.granule - link.coded);
        if (packet.eos) {
          const wanted = Math.round(Math.max(0, packet.granule - link.start - link.head.preSkip) * perSample);
          const cut = Math.min(Math.max(0, link.kept - wanted), at - linkFrom);
          at -= cut;
          link.kept -= cut;
        }
      }
    }
    return this.output(out, at, errors, []);
  }
}

function grown(a: Float32Array, length: number): Float32Array {
  const b = new Float32Array(Math.max(length, a.length * 2));
  b.set(a);
  return b;
}

/** An Ogg Opus decoder synthesising at `rate`, with the thread's libopus. */
export async function openOggOpusDecoder(rate: number): Promise<OggOpusDecoder> {
  return new OggOpusDecoder(await loadLibopus(), rate);
}
