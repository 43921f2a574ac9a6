/**
 * Mini-batch training with Adam, the loop both networks share.
 *
 * Written out rather than `model.fit`: the batch order comes from the project's seeded `Random` (TF.js shuffles
 * with `Math.random`), and the losses here (Gaussian NLL, dropout masks drawn from the same `Random`) need no
 * Layers model around them. Between epochs the loop yields to the event loop, so a long fit does not starve it.
 */
import * as tf from '@tensorflow/tfjs';
import type { Random } from '../../random.js';

export interface TrainingPlan {
  /** Training samples, addressed by index 0..samples-1. */
  readonly samples: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly variables: readonly tf.Variable[];
  /** Shuffles the samples each epoch. */
  readonly random: Random;
  /** Called after each epoch with its mean loss; returning false ends training there. */
  readonly afterEpoch?: (epoch: number, loss: number) => boolean;
}

/** Trains `plan.variables` on `loss(batch)` and returns the mean loss of each epoch. */
export async function train(plan: TrainingPlan, loss: (batch: readonly number[]) => tf.Scalar): Promise<number[]> {
  const optimizer = tf.train.adam(plan.learningRate);
  const order = Array.from({ length: plan.samples }, (_, i) => i);
  const history: number[] = [];
  try {
    for (let epoch = 0; epoch < plan.epochs; epoch++) {
      shuffle(order, plan.random);
      let total = 0;
      for (let start = 0; start < order.length; start += plan.batchSize) {
        const batch = order.slice(start, start + plan.batchSize);
        const value = optimizer.minimize(() => loss(batch), true, [...plan.variables]);
        total += value!.dataSync()[0]! * batch.length;
        value!.dispose();
      }
      history.push(total / order.length);
      if (plan.afterEpoch && !plan.afterEpoch(epoch, history[epoch]!)) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    optimizer.dispose();
  }
  return history;
}

/** Fisher–Yates, in place. */
function shuffle(items: number[], random: Random): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
