import type { EndpointKnobsPair } from '../../shared/domain/workbench';
import { modelEoqThreshold } from '../asr/model-dir';
import { defaultKnobsPair } from './endpoint-config';

/** The end-pointer pair a decode with the model in `modelDir` uses when it names none (`defaultKnobsPair`). */
export function modelDefaultKnobs(modelDir: string): EndpointKnobsPair {
  const eoqThreshold = modelEoqThreshold(modelDir);
  return defaultKnobsPair(eoqThreshold === undefined ? {} : { eoqThreshold });
}
