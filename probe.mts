import { decodeFile } from './src/engine/asr/decode-utterance';
import { TransducerModel } from './src/engine/asr/transducer-model';
const m = TransducerModel.load(process.argv[2]);
for (const f of ['call-anna.wav', 'message-priya.wav']) {
  const ctx = [{ phrase: 'anna mitchell' }, { phrase: 'priya ramanathan' }, { phrase: 'kitchen lights' }];
  const plain = await decodeFile(m, 'resources/demo/' + f, { beam: 4 });
  const sf = await decodeFile(m, 'resources/demo/' + f, { beam: 4, context: ctx, attentionBias: false });
  const att = await decodeFile(m, 'resources/demo/' + f, { beam: 4, context: ctx, shallowFusion: false });
  const both = await decodeFile(m, 'resources/demo/' + f, { beam: 4, context: ctx });
  console.log(f, '\n plain:', plain.hyp, '\n sf:', sf.hyp, '\n att:', att.hyp, '\n both:', both.hyp, both.stats, both.attention?.numFrames, both.lattice.arcs.length);
}
