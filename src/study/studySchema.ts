/**
 * The study file: one zod schema is the single source of truth. studies/study.schema.json is exported from it
 * (exportStudyJsonSchema) and a test checks that the exported file is up to date and that every file in
 * studies/ validates. Unknown keys are rejected everywhere (strict objects), with the key path in the error.
 *
 * A study = a generator configuration (a partial one: the generator fills in its own defaults) + scan points
 * (variations of that configuration) + estimators + toys + pass/fail criteria. `quick` carries the file's own
 * reduced sizes for CI (`--quick`).
 */
import { z } from 'zod';
import { MAX_TRUTH_EVENTS, MAX_TOYS } from '../limits.js';
import { ColumnMapSchema } from '../io/columnMap.js';

/**
 * Bounded sizes (src/limits.ts): a study that asks for more fails validation before anything is written. Truth
 * events up to the generator's bound; above MAX_TOY_EVENTS only a point that streams (resolveStudy checks).
 */
const toyCount = z.number().int().positive().max(MAX_TOYS);
const eventCount = z.number().int().positive().max(MAX_TRUTH_EVENTS);

/**
 * Verdict p-values (src/study/verdict/summarizeVerdict.ts, closureScan.ts): a criterion `> α` has false-alarm
 * budget α; its measured rate and power are in studies/calibration/.
 */
const SF_METRIC_NAMES = [
  'sfCoverage68',
  'sfCoverage95',
  'sfPullMean',
  'sfPullWidth',
  'sfPooledRelBias',
  'sfPooledRelBiasOverErr',
  'sfMissingRate',
  'sfMaxAbsPullMean',
  'sfFailureRate',
  'sfMaxShiftOverStat',
] as const;
const P_VALUE_METRIC_NAMES = [
  'biasP',
  'pooledBiasP',
  'pullMeanP',
  'pullWidthP',
  'coverage68P',
  'coverage95P',
  'closureScanP',
  'scYieldP',
] as const;

/** Every scalar metric a criterion can name (definitions in src/study/summarizeEstimator.ts and docs/studies.md, "Metrics"). */
export const METRIC_NAMES = [
  'failureRate',
  'meanAbsRelBias',
  'maxAbsRelBias',
  'pooledRelBias',
  'pooledRelBiasOverErr',
  'maxAbsBiasOverSigma',
  'maxAbsPullMean',
  'maxAbsPullWidthDev',
  'pullWidthMean',
  'pullWidth',
  'pullWidthRatio',
  'coverage68',
  'coverage95',
  'mse',
  'mseReach',
  'sigmaSqrtNRel',
  'medianRelSigma',
  'closureChi2Ndf',
  'closureChi2NdfPt',
  'closureChi2NdfEta',
  'closureChi2NdfMee',
  'closureChi2NdfFeatureMax',
  'closureFeatureP',
  'phiKappaRms',
  'flaggedFraction',
  'physicalBranchFraction',
  ...P_VALUE_METRIC_NAMES,
  // SC yield of an estimator applied to a sample (src/study/metrics/scYield.ts): predicted Σ w·ε12 vs observed.
  'scYieldRatio',
  'scYieldPull',
  'scYieldRejectRate',
  // Data/MC scale factors of a paired study (src/study/metrics/sfSummary.ts), judged per scan point.
  ...SF_METRIC_NAMES,
] as const;

/** Metrics read from the scale-factor summary (a `paired` study), not from one estimator at one point. */
export const SF_METRICS: ReadonlySet<string> = new Set(SF_METRIC_NAMES);

/** Metrics that are p-values: `metric > threshold` has the false-alarm budget `threshold` unless `budget` says otherwise. */
export const P_VALUE_METRICS: ReadonlySet<string> = new Set(P_VALUE_METRIC_NAMES);
export type MetricName = (typeof METRIC_NAMES)[number];

/** The estimators the bench can run, each behind src/study/estimators/<kind>.ts. */
export const ESTIMATOR_KINDS = ['binned', 'binnedFolded', 'truthMatched', 'phi', 'oracle', 'reachTarget', 'external', 'onnx'] as const;
export type EstimatorKind = (typeof ESTIMATOR_KINDS)[number];

const name = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'a name of letters, digits, _ or -');
/** A partial configuration object, validated later by the component that owns it (generator, trainer, fit). */
const patch = z.record(z.string(), z.unknown());

/** Continuous latent-model features that quantile morphing can map (ipix is a 0/1 flag: no quantiles). */
export const MORPH_FEATURES = ['eop', 'd0sig', 'dphiq', 'curvsig', 'reta'] as const;

/**
 * Quantile morphing of the sample an estimator is applied to (src/method/quantileMorph.ts): per feature, and per
 * (pT, |η|) bin of `bins` when given, x → F_ref⁻¹(F_sample(x)) with F_ref the CDF of the sample it was trained on.
 */
export const MorphSpecSchema = z.strictObject({
  features: z.array(z.enum(MORPH_FEATURES)).min(1),
  /** Separate maps per (|η|, pT) bin (reco values), e.g. { eta: [0, 1.37, 2.47], pt: [25, 1000] }. */
  bins: z.strictObject({ eta: z.array(z.number()).min(2), pt: z.array(z.number()).min(2) }).optional(),
  /** Quantile nodes per map, equally spaced in probability between the end nodes. */
  nodes: z.number().int().min(3).max(100000).default(1001),
  /**
   * Values of the smaller sample beyond each end node; beyond them the map follows the secant of the quantiles
   * at k and 4k values from the end (src/method/quantileMorph.ts: end nodes at the extremes bias a convex ε
   * upward, measured). 0 = end nodes at the minimum and maximum with a shift beyond (the first version).
   */
  tail: z.number().int().min(0).default(100),
});

export const EstimatorSpecSchema = z.strictObject({
  name,
  kind: z.enum(ESTIMATOR_KINDS),
  /**
   * Paired studies only: train on the `mc` sample of the same scan point and apply to the `data` sample (the
   * estimator then runs on the data side only). Network kinds (phi, oracle).
   */
  trainOn: z.literal('mc').optional(),
  /** With trainOn: morph the data sample's features onto the MC's before applying (MorphSpecSchema). */
  morph: MorphSpecSchema.optional(),
  /** Paired studies: the samples this estimator runs on (default both; `data` with trainOn). */
  samples: z
    .array(z.enum(['mc', 'data']))
    .min(1)
    .optional(),
  /**
   * Options handed to the estimator (trainer options for phi/oracle, fit options for binned; for binnedFolded
   * the flip response { lossMean, extraSmear }, replicas, window, range, ptMin, parents, errors — checked by
   * src/study/estimators/binnedFolded.ts; for external { command, timeoutSeconds, config, keep } — checked by
   * src/study/estimators/external.ts; for onnx { model, features } — src/study/estimators/onnx.ts).
   */
  options: patch.default({}),
  /** Use window + sidebands with the sideband weights (negative for sideband events) instead of the window alone. */
  sidebandSubtraction: z.boolean().default(false),
});

export const PairingSchema = z.strictObject({
  /**
   * `any`: every selected event. `barrelEndcap`: keep only events with exactly one electron with |η| below
   * `etaSplit` (a bipartite pairing graph, physics.md "Identifiability").
   */
  topology: z.enum(['any', 'barrelEndcap']).default('any'),
  etaSplit: z.number().positive().default(1.37),
});

export const ScanPointSchema = z.strictObject({
  label: name,
  /** Deep-merged over the study's generator configuration. */
  generator: patch.default({}),
  /** Overrides the study's pairing topology. */
  pairing: PairingSchema.optional(),
  /** Overrides the study's event count. */
  events: eventCount.optional(),
  /** Deep-merged over each estimator's options, keyed by estimator name. */
  estimators: z.record(z.string(), patch).default({}),
  /** Paired studies: deep-merged over the point's MC / data sample only (after `generator`). */
  mc: patch.optional(),
  data: patch.optional(),
  /** Run only these estimators at this point (default all). */
  run: z.array(name).min(1).optional(),
  /**
   * Each fake-electron pair of the generated sample appears this many times (0 drops them): a background-level
   * variation on the same signal events (a new background fraction would draw new events).
   */
  backgroundCopies: z.number().int().min(0).max(10).optional(),
});

/** A named metric, or `diagnostics.<name>`: the mean over toys of a numeric/boolean estimator diagnostic. */
export const MetricSchema = z.union([
  z.enum(METRIC_NAMES),
  z.string().regex(/^diagnostics\.[A-Za-z][A-Za-z0-9_]*$/, 'a metric name or diagnostics.<name>'),
]);

export const CriterionSchema = z.strictObject({
  metric: MetricSchema,
  estimator: name,
  /** Compare the ratio metric(estimator) / metric(relativeTo) with the threshold. */
  relativeTo: name.optional(),
  /**
   * Scan point label; without it the criterion must hold at every point. In a paired study `label` is the
   * data sample of the point and `label:mc` its MC sample; scale-factor metrics (sf…) are judged per label.
   */
  point: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_-]*(:mc)?$/, 'a scan point label, or label:mc in a paired study')
    .optional(),
  op: z.enum(['<', '<=', '>', '>=']),
  threshold: z.number(),
  /**
   * Target of the bias and pull metrics: `reachable` (default) = P(flip | reco bin, selection) from the
   * generator's bookkeeping on a large independent sample; `model` = the mean truth ε of the bin's electrons.
   */
  target: z.enum(['reachable', 'model']).optional(),
  /**
   * A detection of a defect the study builds into its own `point` (a response the estimator ignores, shifted
   * features): the scan point where that defect is absent. `qmisid calibrate` measures the criterion's
   * false-alarm rate there (the fraction of null verdicts in which it passes at `nullPoint`) and its power at
   * `point` (the fraction in which it passes there); injected defects are not applied to it. Needs `point`.
   */
  nullPoint: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_-]*(:mc)?$/, 'a scan point label, or label:mc in a paired study')
    .optional(),
  /**
   * The defect the criterion must detect when the study builds it into its own point (an estimator that
   * ignores a feature ε depends on, a non-identifiable binning). With `nullPoint` the false-alarm rate is
   * measured there; without one the study holds no null for it, and `qmisid calibrate` reports its power only
   * (the rate at which it passes on the study's own toys), never a false-alarm rate.
   */
  detects: z.string().optional(),
  /** Stated false-alarm budget (for p-value metrics with `>` it defaults to the threshold). */
  budget: z.number().min(0).max(1).optional(),
  /** One line: what the criterion shows. */
  why: z.string().optional(),
});

/**
 * The plots a study can ask for in its report (src/study/plots/<name>.ts each; docs/reports.md "Plots").
 * Per-point plots are drawn once per scan point, per-estimator plots once per estimator; the across-point
 * plots (scaling, biasScan, biasOverSigmaScan, mseComparison) compare the points in one plot.
 */
export const PLOT_NAMES = [
  'epsVsPt',
  'epsVsAbsEta',
  'epsVsPhi',
  'ratioMap',
  'massSpectra',
  'closure',
  'loss',
  'identifiability',
  'pulls',
  'coverage',
  'scaling',
  'biasScan',
  'biasOverSigmaScan',
  'degeneracy',
  'mseComparison',
  'scaleFactors',
  'scYield',
] as const;
export type PlotName = (typeof PLOT_NAMES)[number];

/** The SC closure variables a `closure` plot entry can draw. */
export const CLOSURE_VARIABLES = ['pt', 'eta', 'm_ee'] as const;

/**
 * One plot of the report: its name alone, or the name with the scan points and estimators to draw it for
 * (absent: every point; the plot's own default estimators, docs/reports.md) and, for `closure`, the variables.
 */
export const PlotEntrySchema = z.union(
  [
    z.enum(PLOT_NAMES),
    z.strictObject({
      plot: z.enum(PLOT_NAMES),
      points: z.array(name).min(1).optional(),
      estimators: z.array(name).min(1).optional(),
      variables: z.array(z.enum(CLOSURE_VARIABLES)).min(1).optional(),
    }),
  ],
  { error: `a plot name (${PLOT_NAMES.join(', ')}) or { plot: <plot name>, points?, estimators?, variables? }` },
);

export const BinningSpecSchema = z.strictObject({
  eta: z.array(z.number()).min(2),
  pt: z.array(z.number()).min(2),
});

const QuickSchema = z.strictObject({
  events: eventCount.optional(),
  toys: toyCount.optional(),
  /** Multiplies every event count (the study's and each scan point's); `events`, when given, then sets the study's. */
  eventsScale: z.number().positive().max(1).optional(),
  generator: patch.optional(),
  estimators: z.record(z.string(), patch).optional(),
  /** Keep only these scan points. */
  points: z.array(name).optional(),
  /** Replace the criteria (quick runs have less statistics). */
  criteria: z.array(CriterionSchema).optional(),
});

/**
 * A user's simulated sample as the truth source instead of the generator: events from `file` read through a
 * column mapping (inline `map` or `mapFile`, paths relative to the study file), which must supply truth flip
 * labels truth_flip1, truth_flip2 (truth_eps1/2 when the sample has them). Each toy is a Poisson(1) bootstrap
 * of the file, seeded per toy; the study's `events` and `generator` (except its mass selection, used for
 * sideband weights) are then not used.
 */
export const SampleSchema = z.strictObject({
  file: z.string().min(1),
  map: ColumnMapSchema.optional(),
  mapFile: z.string().min(1).optional(),
});

/** One sample of a paired study: a generator patch (over the study's) and its own event count. */
export const PairedSampleSchema = z.strictObject({
  generator: patch.default({}),
  events: eventCount.optional(),
});

/**
 * A paired data/MC toy (docs/studies.md, "Paired studies"): every scan point becomes two samples, `label:mc` and
 * `label` (the data), generated with independent random streams ("mc", "data"); the points of one side share
 * their stream (common random numbers), and a point that differs from an earlier one of its side only in the
 * mass selection re-selects the same events instead of generating new ones (so a window or sideband variation
 * moves the result by the systematic alone). `scaleFactors` pairs estimators into SF = ε(data)/ε(MC) per bin
 * (default: each estimator with itself); the first scan point (or `nominal`) is the nominal for the systematics.
 */
export const PairedSchema = z.strictObject({
  mc: PairedSampleSchema.default({ generator: {} }),
  data: PairedSampleSchema.default({ generator: {} }),
  scaleFactors: z.array(z.strictObject({ name, data: name, mc: name })).optional(),
  nominal: name.optional(),
});

export const StudySchema = z.strictObject({
  $schema: z.string().optional(),
  name,
  description: z.string(),
  seed: z.union([z.number().int(), z.string().min(1)]),
  toys: toyCount,
  events: eventCount,
  generator: patch.default({}),
  /** Event topology kept after the generator's selection (the generator's own cuts live in generator.selection). */
  pairing: PairingSchema.default({ topology: 'any', etaSplit: 1.37 }),
  binning: BinningSpecSchema.optional(),
  scan: z
    .array(ScanPointSchema)
    .min(1)
    .default([{ label: 'default', generator: {}, estimators: {} }]),
  estimators: z.array(EstimatorSpecSchema).min(1),
  criteria: z.array(CriterionSchema).default([]),
  /** Reference sample for the reachable targets: `scale` × the point's events (default max(10, toys)). */
  reference: z.strictObject({ scale: z.number().positive() }).optional(),
  /**
   * The measured null (`qmisid calibrate`): `toys` toys where the estimators' assumptions hold — the study's
   * configuration with `generator` merged over it — split into groups of the study's toy count; each
   * criterion's false-alarm rate is the fraction of groups it fails. `quickToys` for --quick.
   */
  calibration: z
    .strictObject({
      toys: z.number().int().positive(),
      quickToys: z.number().int().positive().optional(),
      generator: patch.optional(),
      /** Run only these estimators in the null (a network ensemble per null toy may be unaffordable); the
       * criteria of the others stay "not measured" and the report says so. */
      estimators: z.array(name).optional(),
      /** The same for --quick, where a network may be affordable when it is not at full size (default: `estimators`). */
      quickEstimators: z.array(name).optional(),
      /** Run only these scan points in the null (the points the criteria judge, when the others are unaffordable:
       * bias-vs-n's 10^8 point). Every criterion's point must be one of them. */
      points: z.array(name).optional(),
      /** What is not calibrated (estimators left out, or the full size) and why, with its cost: printed in
       * the report beside every criterion without a measured false-alarm rate. */
      note: z.string().optional(),
    })
    .optional(),
  quick: QuickSchema.optional(),
  sample: SampleSchema.optional(),
  paired: PairedSchema.optional(),
  /**
   * The report's plots, in this order (src/study/plots/). Absent: defaultPlots (src/study/plots/defaultPlots.ts)
   * picks them from the study's shape.
   */
  plots: z.array(PlotEntrySchema).optional(),
});

export type StudyInput = z.input<typeof StudySchema>;
export type Study = z.output<typeof StudySchema>;
export type EstimatorSpec = z.output<typeof EstimatorSpecSchema>;
export type ScanPoint = z.output<typeof ScanPointSchema>;
export type Criterion = z.output<typeof CriterionSchema>;
export type Pairing = z.output<typeof PairingSchema>;
export type Sample = z.output<typeof SampleSchema>;
export type Paired = z.output<typeof PairedSchema>;
export type MorphSpec = z.output<typeof MorphSpecSchema>;
export type PlotEntry = z.output<typeof PlotEntrySchema>;
export type ClosureVariable = (typeof CLOSURE_VARIABLES)[number];

/** The JSON Schema of a study file (draft 2020-12), as written to studies/study.schema.json. */
export function exportStudyJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(StudySchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}
