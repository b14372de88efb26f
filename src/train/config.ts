/**
 * Trainer options: partial options in, one resolved config out. Defaults live here and nowhere else; the
 * resolved config (with its seed) is saved inside every model directory.
 */
import { z } from 'zod';
import { zodConfigError } from '../config/zodConfigError.js';
import { FoldOptionsSchema } from './foldOffsets.js';
import { ACTIVATIONS } from './activation.js';
import { BACKEND_PREFERENCES } from './backend.js';
import { MAX_BATCH, MAX_ENSEMBLE, MAX_EPOCHS, MAX_HIDDEN_LAYERS, MAX_HIDDEN_WIDTH } from '../limits.js';

const positiveInt = z.number().int().positive();

export const TrainConfigSchema = z
  .object({
    /** Per-electron features, see features.ts for the token grammar. */
    features: z.array(z.string().min(1)).min(1).default(['pt', 'eta']),
    /** Hidden-layer widths; [] is a linear φ (allowed in a config file, not as an empty --hidden). */
    hidden: z.array(positiveInt.max(MAX_HIDDEN_WIDTH)).max(MAX_HIDDEN_LAYERS).default([64, 64, 64]),
    activation: z.enum(ACTIVATIONS as [string, ...string[]]).default('leakyRelu'),
    /** Negative-side slope of leaky ReLU. */
    alpha: z.number().min(0).max(1).default(0.01),
    epochs: positiveInt.max(MAX_EPOCHS).default(30),
    batch: positiveInt.max(MAX_BATCH).default(16384),
    /** Adam learning rate at the start of the schedule (the studies' value; docs/trainer.md, "Time to accuracy"). */
    lr: z.number().positive().default(0.01),
    schedule: z.enum(['constant', 'cosine', 'step']).default('cosine'),
    /** cosine: final lr / initial lr. */
    lrFloor: z.number().min(0).max(1).default(0.05),
    /** step decay: every N epochs multiply by gamma. */
    stepEvery: positiveInt.default(10),
    stepGamma: z.number().positive().max(1).default(0.3),
    valFrac: z.number().min(0).lt(1).default(0.2),
    /** Early stopping: epochs without a validation-loss improvement larger than minDelta. */
    patience: positiveInt.default(5),
    minDelta: z.number().min(0).default(0),
    /**
     * After training, restore the weights of the epoch with the lowest validation loss (true) or keep the last
     * epoch's (false). With a few hundred SC events the epoch-to-epoch changes of the validation loss are
     * mostly noise, and the minimum can fall on an early, under-trained epoch; an ensemble trained to the end
     * of a cosine schedule keeps the last weights (studies/*.json).
     */
    restoreBest: z.boolean().default(true),
    /** Keep each OC event with this probability and weight 1/r; every SC event is kept. */
    ocKeep: z.number().gt(0).max(1).default(1),
    ensemble: positiveInt.max(MAX_ENSEMBLE).default(1),
    /**
     * Ensemble members see Poisson(1) bootstrap multiplicities on every event (on top of the event weights) and
     * validate on their out-of-bag events instead of a valFrac split (trainer.ts).
     */
    bootstrap: z.boolean().default(false),
    seed: z.union([z.number().finite(), z.string().min(1)]).default(0),
    backend: z.enum(BACKEND_PREFERENCES as [string, ...string[]]).default('auto'),
    /** manual: hand-written dense-layer backward pass; autodiff: tf.grads (reference, slower on wasm). */
    gradient: z.enum(['manual', 'autodiff']).default('manual'),
    /**
     * Where the output bias starts: 'physical' = logit(ε0), 'mirror' = −logit(ε0). Only for studies of the
     * branch degeneracy (and its test); a real fit always starts physical.
     */
    initBranch: z.enum(['physical', 'mirror']).default('physical'),
    /** A member that lands on the mirror branch (ε > ½) is negated, φ → −φ, an exact symmetry of f. */
    flipMirror: z.boolean().default(false),
    /**
     * Threads for the gradient (data parallel: the batch is split, see parallelEngine.ts). Default: 2 on
     * wasm/cpu (single-threaded kernels under Node), 1 on tfjs-node (already multi-threaded).
     */
    threads: z.number().int().min(1).max(16).optional(),
    /**
     * Events with negative weights (sideband subtraction). 'background' (default): they are not trained on;
     * they estimate the background OC/SC probabilities of each coarse pair category, which enter the loss of
     * the window pairs as a mixture — a proper likelihood, bounded below by 0 (pairLoss.ts, docs/trainer.md).
     * 'linear': the old Σ w·BCE with negative w, unbounded below (kept to show the guard catching it).
     */
    negativeWeights: z.enum(['background', 'linear']).default('background'),
    /**
     * The coarse (|η|, pT) binning of the pair categories used by the background model and by the pairing
     * identifiability diagnostic; default the binned fit's (src/binning/Binning.ts). Studies pass their own.
     */
    bins: z.strictObject({ eta: z.array(z.number()).min(2), pt: z.array(z.number()).min(2) }).optional(),
    /**
     * Folded loss (docs/trainer.md, "The folded φ-trainer"): the flip response R the SC probability of each
     * window pair folds in, through the folded binned fit's migration (foldOffsets.ts). The table must then be
     * the whole selection (window and sidebands: the parents); the window's events are trained on. Absent: the
     * plain loss of eq. 3. Weights must be ≥ 0 (no sideband subtraction with it).
     */
    fold: FoldOptionsSchema.optional(),
    /** Progress bar on stderr; default: only when stderr is a TTY. */
    progress: z.boolean().optional(),
  })
  .strict();

export type TrainConfigInput = z.input<typeof TrainConfigSchema>;
export type TrainConfig = z.output<typeof TrainConfigSchema> & {
  activation: (typeof ACTIVATIONS)[number];
  backend: (typeof BACKEND_PREFERENCES)[number];
};

export function resolveTrainConfig(input: TrainConfigInput = {}, source?: string): TrainConfig {
  const r = TrainConfigSchema.safeParse(input);
  if (!r.success) throw zodConfigError(r.error, input, source, 'train');
  return r.data as TrainConfig;
}
