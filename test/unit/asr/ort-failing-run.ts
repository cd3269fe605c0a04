/** Child process of ort-log.test.ts: one onnxruntime run that fails inside a kernel (a token id past the vocabulary). */
import * as ort from 'onnxruntime-node';
import { OrtSession } from '../../../src/engine/asr/ort-session';

const session = new OrtSession(process.argv[2], { intraOpNumThreads: 1, interOpNumThreads: 1 });
try {
  session.run({ y: new ort.Tensor('int64', BigInt64Array.from([0n, 99999n]), [1, 2]) }, ['decoder_out']);
} catch (error) {
  console.log(`threw: ${(error as Error).message}`);
}
