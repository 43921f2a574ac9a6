/**
 * Reasons at the level of features: a feature model's share of a conviction, split over the features its
 * attributions (TreeSHAP values) name. The three largest get a reason each; the rest are one reason together,
 * so the parts still add up to the model's share.
 */
import type { FeatureAttribution, ModelOutput, ReasonComponent } from '../types.js';

const TOP = 3;
const round = (x: number, digits = 6): number => Number(x.toFixed(digits));

function describeValue(value: number | null): string {
  if (value === null) return 'missing';
  const a = Math.abs(value);
  return a !== 0 && (a < 0.01 || a >= 1e5) ? value.toExponential(2) : String(Number(value.toFixed(a < 1 ? 3 : 1)));
}

function modelLabel(input: string): string {
  if (input === 'classifier:gbdt') return 'the tree ensemble';
  if (input === 'classifier:mlp') return 'the neural classifier';
  if (input === 'forecaster') return 'the forecaster';
  if (input === 'anomaly') return 'the anomaly detector';
  return input;
}

export function featureReasons(output: ModelOutput, input: string, share: number): ReasonComponent[] {
  const attributions = output.attributions ?? [];
  const total = attributions.reduce((a, f) => a + f.contribution, 0);
  const model = input.replace(/^classifier:/, '');
  if (total === 0 || attributions.length === 0) {
    return [{ feature: input, contribution: share, value: round(output.signal ?? output.score, 4), sentence: output.summary ?? `${output.modelId} scored ${output.instrument}.` }];
  }
  const top = [...attributions].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.feature.localeCompare(b.feature)).slice(0, TOP);
  const reasons: ReasonComponent[] = top.map((f: FeatureAttribution) => {
    const contribution = round((share * f.contribution) / total);
    const way = f.contribution >= 0 ? 'up' : 'down';
    return {
      feature: `${model}.${f.feature}`,
      contribution,
      value: f.value ?? 0,
      sentence: `${f.feature} of ${output.instrument} at ${describeValue(f.value)} pushed ${modelLabel(input)} ${way}.`,
    };
  });
  const rest = round(share - reasons.reduce((a, r) => a + r.contribution, 0));
  if (Math.abs(rest) >= 1e-6) {
    reasons.push({
      feature: `${model}.other_features`,
      contribution: rest,
      value: attributions.length - top.length,
      sentence: `The other ${attributions.length - top.length} features of ${output.instrument} together, as ${modelLabel(input)} weighed them.`,
    });
  }
  return reasons;
}
