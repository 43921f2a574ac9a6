/** The TF.js networks by artifact type: what a worker of the pool builds from a registry artifact. */
import { ModelError, type SerializedModel } from '../model.js';
import { FORECASTER_TYPE, ForecastNetwork } from './forecaster.js';
import { MLP_TYPE, MlpNetwork } from './mlp.js';
import type { TfjsNetwork } from './network.js';

export const TFJS_MODEL_TYPES = [MLP_TYPE, FORECASTER_TYPE] as const;

/** Builds the network an artifact describes, checking its architecture and every weight's shape. */
export function restoreNetwork(artifact: SerializedModel): TfjsNetwork {
  switch (artifact?.type) {
    case MLP_TYPE:
      return new MlpNetwork(artifact);
    case FORECASTER_TYPE:
      return new ForecastNetwork(artifact);
    default:
      throw new ModelError('MODEL_ARTIFACT_INVALID', `not a TF.js model type: ${JSON.stringify(artifact?.type)} (known: ${TFJS_MODEL_TYPES.join(', ')})`);
  }
}
