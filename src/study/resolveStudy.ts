/**
 * Partial study in, fully resolved study out, in one place: quick overrides, command-line overrides (toys,
 * seed), scan points merged over the base generator configuration and validated by the generator's own
 * resolver, estimator options merged per point. The result is plain JSON: it is written to DIR/study.json,
 * sent to the toy workers, and compared on resume and merge.
 */
import { checkToySize } from './streamToy.js';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { parseColumnMap, type ColumnMap } from '../io/columnMap.js';
import { DEFAULT_ETA_EDGES, DEFAULT_PT_EDGES, Binning } from '../binning/Binning.js';
import {
  asResolvedGeneratorConfig,
  configForMetadata,
  resolveGeneratorConfig,
  type ResolvedGeneratorConfig,
} from '../config/generatorConfig.js';
import type { Seed } from '../rng.js';
import { MAX_TOYS } from '../limits.js';
import { deepMerge } from './deepMerge.js';
import { resolvePlots, type ResolvedPlot } from './plots/resolvePlots.js';
import type { Criterion, EstimatorKind, MorphSpec, Pairing, Sample, Study } from './studySchema.js';

export interface ResolvedEstimator {
  name: string;
  kind: EstimatorKind;
  options: Record<string, unknown>;
  sidebandSubtraction: boolean;
  /** Paired studies: trained on the point's MC sample, applied (optionally morphed) to its data sample. */
  trainOn?: 'mc';
  morph?: MorphSpec;
}

export type PairedSide = 'mc' | 'data';

export interface ResolvedPoint {
  label: string;
  events: number;
  /** The generator's fully resolved configuration (plain JSON: written to study.json, sent to workers). */
  generator: ResolvedGeneratorConfig;
  pairing: Pairing;
  estimators: ResolvedEstimator[];
  /**
   * Paired studies: which sample this is, its random stream (events seeded by (toy seed, "events", stream)),
   * the scan point it belongs to and the label of its other side. Absent in unpaired studies.
   */
  side?: PairedSide;
  stream?: string;
  scan?: string;
  pair?: string;
  /** Fake pairs repeated this many times (0: dropped) after generation (studySchema.ts ScanPointSchema). */
  backgroundCopies?: number;
}

/** A paired study's scale-factor pairs and its nominal scan point (studySchema.ts PairedSchema). */
export interface ResolvedPaired {
  scaleFactors: { name: string; data: string; mc: string }[];
  nominal: string;
}

/** Label of a scan point's MC sample in a paired study (its data sample keeps the scan label). */
export function mcLabel(scan: string): string {
  return `${scan}:mc`;
}

/** A user sample as the truth source (studySchema.ts SampleSchema), paths made absolute, the mapping read. */
export interface ResolvedSample {
  file: string;
  map?: ColumnMap;
}

export interface ResolvedStudy {
  name: string;
  description: string;
  seed: Seed;
  toys: number;
  quick: boolean;
  binning: { eta: number[]; pt: number[] };
  points: ResolvedPoint[];
  criteria: Criterion[];
  /** Reference sample size for the reachable targets (absent: the default, max(10, toys) × events). */
  reference?: { scale: number };
  sample?: ResolvedSample;
  paired?: ResolvedPaired;
  /** The report's plots (src/study/plots/); absent in study.json files written before plots were configurable. */
  plots?: ResolvedPlot[];
}

export interface ResolveOptions {
  quick?: boolean;
  toys?: number;
  seed?: Seed;
  source?: string;
}

export function resolveStudy(study: Study, opts: ResolveOptions = {}): ResolvedStudy {
  const quick = opts.quick === true && study.quick != null ? study.quick : undefined;
  const scale = quick?.eventsScale ?? (quick?.events != null ? quick.events / study.events : 1);
  const baseEvents = quick?.events ?? Math.max(1, Math.round(study.events * scale));
  const keep = quick?.points != null ? new Set(quick.points) : undefined;
  const binning = study.binning ?? { eta: [...DEFAULT_ETA_EDGES], pt: [...DEFAULT_PT_EDGES] };
  try {
    Binning.fromEdges(binning.eta, binning.pt);
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(err.path.replace(/^bins\./, 'binning.'), err.value, err.expected, opts.source);
    throw err;
  }
  const baseDir = opts.source ? dirname(opts.source) : process.cwd();
  const sample = study.sample ? resolveSample(study.sample, baseDir, opts.source) : undefined;
  // A sample's mass selection is the study's: the sideband weights read it from the generator configuration.
  const sampleSelection = sample?.map?.selection ? { selection: sample.map.selection } : {};
  checkPairedKeys(study, opts.source);
  const points: ResolvedPoint[] = [];
  study.scan.forEach((p, i) => {
    if (keep && !keep.has(p.label)) return;
    const sides: (PairedSide | undefined)[] = study.paired ? ['mc', 'data'] : [undefined];
    for (const side of sides) {
      const sidePatch = side ? study.paired![side] : undefined;
      const pointSide = side ? p[side] : undefined;
      const merged = deepMerge<Record<string, unknown>>(
        {},
        study.generator,
        sampleSelection,
        sidePatch?.generator ?? {},
        p.generator,
        pointSide ?? {},
        quick?.generator,
      );
      let generator: ResolvedGeneratorConfig;
      try {
        // Resolved once, here; the JSON copy is branded by the cheap guard, and nothing downstream resolves again.
        generator = asResolvedGeneratorConfig(configForMetadata(resolveGeneratorConfig(merged, opts.source)), opts.source);
      } catch (err) {
        if (err instanceof ConfigError) {
          // Name the study key the bad value came from: the scan point's patch if it set it, else the base.
          const prefix =
            side && hasPath(pointSide, err.path)
              ? `scan.${i}.${side}`
              : hasPath(p.generator, err.path)
                ? `scan.${i}.generator`
                : side && hasPath(sidePatch?.generator, err.path)
                  ? `paired.${side}.generator`
                  : 'generator';
          throw new ConfigError(`${prefix}.${err.path}`, err.value, err.expected, opts.source);
        }
        throw err;
      }
      const own = p.events ?? sidePatch?.events;
      const events = own != null ? Math.max(1, Math.round(own * scale)) : baseEvents;
      const estimators = study.estimators
        .filter((e) => (p.run ? p.run.includes(e.name) : true))
        .filter((e) => !side || (e.samples ?? (e.trainOn ? ['data'] : ['mc', 'data'])).includes(side))
        .map((e) => ({
          name: e.name,
          kind: e.kind,
          sidebandSubtraction: e.sidebandSubtraction,
          options: withPaths(
            e.kind,
            e.sidebandSubtraction,
            baseDir,
            deepMerge<Record<string, unknown>>({}, e.options, p.estimators[e.name], quick?.estimators?.[e.name]),
          ),
          ...(e.trainOn ? { trainOn: e.trainOn } : {}),
          ...(e.morph ? { morph: e.morph } : {}),
        }));
      const label = side === 'mc' ? mcLabel(p.label) : p.label;
      const point: ResolvedPoint = {
        label,
        events,
        generator,
        pairing: p.pairing ?? study.pairing,
        estimators,
        ...(side ? { side, stream: side, scan: p.label, pair: side === 'mc' ? p.label : mcLabel(p.label) } : {}),
        ...(p.backgroundCopies != null ? { backgroundCopies: p.backgroundCopies } : {}),
      };
      // Above the in-memory bound only a point that streams its events is affordable (streamToy.ts).
      checkToySize({ sample }, point, own != null ? `scan.${i}.events` : quick?.events != null ? 'quick.events' : 'events', opts.source);
      points.push(point);
    }
  });
  // A criterion's point (and a detection's null point) must be one this configuration runs: a quick
  // configuration that drops the point would otherwise judge nothing, silently.
  const criteria = quick?.criteria ?? study.criteria;
  const run = new Set(points.map((p) => p.label));
  criteria.forEach((c, i) => {
    for (const key of ['point', 'nullPoint'] as const) {
      const l = c[key];
      if (l != null && !run.has(l))
        throw new ConfigError(
          `${quick?.criteria ? 'quick.criteria' : 'criteria'}.${i}.${key}`,
          l,
          `a point this configuration runs (${[...run].join(', ')})`,
          opts.source,
        );
    }
  });
  // The detections of one estimator at one point share the null point whose calibrated error they borrow
  // (verdict/errorScales.ts, borrowsFrom): two would make its stated error depend on the criterion read.
  const nullOf = new Map<string, string>();
  criteria.forEach((c, i) => {
    if (c.nullPoint == null || c.point == null || c.detects != null) return;
    for (const name of [c.estimator, ...(c.relativeTo ? [c.relativeTo] : [])]) {
      const key = JSON.stringify([name, c.point]);
      const prev = nullOf.get(key);
      if (prev != null && prev !== c.nullPoint)
        throw new ConfigError(
          `${quick?.criteria ? 'quick.criteria' : 'criteria'}.${i}.nullPoint`,
          c.nullPoint,
          `'${prev}', the null point of the other detections of ${name} at point '${c.point}'`,
          opts.source,
        );
      nullOf.set(key, c.nullPoint);
    }
  });
  const toys = opts.toys ?? quick?.toys ?? study.toys;
  if (!(Number.isInteger(toys) && toys >= 1 && toys <= MAX_TOYS))
    throw new ConfigError('toys', toys, `a positive integer up to ${MAX_TOYS}`, opts.source);
  return {
    name: study.name,
    description: study.description,
    seed: opts.seed ?? study.seed,
    toys,
    quick: quick != null,
    binning,
    points,
    criteria,
    ...(study.reference != null ? { reference: study.reference } : {}),
    ...(sample ? { sample } : {}),
    ...(study.paired ? { paired: resolvePaired(study, opts.source) } : {}),
    plots: resolvePlots(study.plots, points, toys),
  };
}

/** Paired-study keys used without `paired`, or inconsistently: a ConfigError naming the key. */
function checkPairedKeys(study: Study, source?: string): void {
  const paired = study.paired != null;
  if (paired && study.sample) throw new ConfigError('paired', 'paired', 'either a user sample or paired samples, not both', source);
  study.estimators.forEach((e, i) => {
    const at = (k: string) => `estimators.${i}.${k}`;
    if (!paired && (e.trainOn || e.morph || e.samples))
      throw new ConfigError(
        at(e.trainOn ? 'trainOn' : e.morph ? 'morph' : 'samples'),
        e.trainOn ?? e.morph ?? e.samples,
        'a paired study (a `paired` block)',
        source,
      );
    if (e.trainOn && e.kind !== 'phi' && e.kind !== 'oracle')
      throw new ConfigError(at('trainOn'), e.trainOn, `a network estimator (phi or oracle), not ${e.kind}`, source);
    if (e.morph && !e.trainOn)
      throw new ConfigError(at('morph'), e.morph, 'trainOn: morphing maps the data onto the sample the estimator was trained on', source);
    if (e.trainOn && e.samples && e.samples.some((s) => s !== 'data'))
      throw new ConfigError(at('samples'), e.samples, 'only "data" for an estimator trained on the MC sample', source);
  });
  study.scan.forEach((p, i) => {
    if (!paired && (p.mc || p.data))
      throw new ConfigError(`scan.${i}.${p.mc ? 'mc' : 'data'}`, p.mc ?? p.data, 'a paired study (a `paired` block)', source);
    for (const n of p.run ?? [])
      if (!study.estimators.some((e) => e.name === n))
        throw new ConfigError(`scan.${i}.run`, n, 'the name of one of the study estimators', source);
  });
}

function resolvePaired(study: Study, source?: string): ResolvedPaired {
  const paired = study.paired!;
  const nominal = paired.nominal ?? study.scan[0]!.label;
  if (!study.scan.some((p) => p.label === nominal)) throw new ConfigError('paired.nominal', nominal, 'the label of a scan point', source);
  const both = (n: string, side: PairedSide) =>
    study.estimators.find((e) => e.name === n && (e.samples ?? (e.trainOn ? ['data'] : ['mc', 'data'])).includes(side));
  const pairs =
    paired.scaleFactors ??
    study.estimators.filter((e) => both(e.name, 'mc') && both(e.name, 'data')).map((e) => ({ name: e.name, data: e.name, mc: e.name }));
  pairs.forEach((sf, i) => {
    for (const side of ['data', 'mc'] as const)
      if (!both(sf[side], side))
        throw new ConfigError(`paired.scaleFactors.${i}.${side}`, sf[side], `an estimator that runs on the ${side} sample`, source);
  });
  return { scaleFactors: pairs.map((p) => ({ ...p })), nominal };
}

/** External commands run in the study file's directory; model paths are relative to it. */
function withPaths(
  kind: EstimatorKind,
  sidebandSubtraction: boolean,
  baseDir: string,
  options: Record<string, unknown>,
): Record<string, unknown> {
  if (kind === 'external') return { cwd: baseDir, ...options, sidebandSubtraction };
  if (kind === 'onnx' && typeof options.model === 'string') return { ...options, model: resolve(baseDir, options.model) };
  return options;
}

function resolveSample(s: Sample, baseDir: string, source?: string): ResolvedSample {
  if (s.map && s.mapFile) throw new ConfigError('sample.mapFile', s.mapFile, 'either sample.map or sample.mapFile, not both', source);
  let map = s.map ? parseColumnMap(s.map, source ?? '<study>') : undefined;
  if (s.mapFile) {
    const path = resolve(baseDir, s.mapFile);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new ConfigError('sample.mapFile', s.mapFile, `a readable JSON mapping file (${(err as Error).message})`, source);
    }
    map = parseColumnMap(raw, path);
  }
  return { file: resolve(baseDir, s.file), ...(map ? { map } : {}) };
}

/**
 * A resolved study that crossed a thread or a file (study.json, a worker's data): each point's generator
 * config is type-checked and branded by asResolvedGeneratorConfig, not resolved again. Returns the same object.
 */
export function asResolvedStudy(study: ResolvedStudy, source?: string): ResolvedStudy {
  for (const p of study.points) p.generator = asResolvedGeneratorConfig(p.generator, source ?? `study ${study.name} point ${p.label}`);
  return study;
}

function hasPath(obj: unknown, dotted: string): boolean {
  let v: unknown = obj;
  for (const k of dotted.split('.')) {
    if (v == null || typeof v !== 'object' || !(k in (v as object))) return false;
    v = (v as Record<string, unknown>)[k];
  }
  return true;
}
