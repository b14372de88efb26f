/**
 * The input of a validation report: run identification, pass/fail criteria, headline numbers and plots.
 * `parseReport` checks a value read from disk (or handed over by a study) against the schema and returns
 * it typed; the first problem becomes a ConfigError naming its path (e.g. `plots[3].id`) and value.
 */
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { Plot } from './plot.js';

const scalar = z.union([z.number(), z.string()]);

/** An optional per-criterion field: what a study's criteria carry beyond name/value/threshold/pass. */
const detail = z.union([z.number(), z.string(), z.boolean(), z.null()]);

const criterionSchema = z.strictObject({
  name: z.string().min(1),
  value: scalar,
  threshold: scalar,
  pass: z.boolean(),
  /** Stated false-alarm budget, measured false-alarm rate and power (studies/calibration/), as one line. */
  calibration: z.string().optional(),
  /** Which estimator the criterion judges: the page groups criteria into one verdict card per estimator. */
  estimator: z.string().optional(),
  /** Short label for the card (e.g. the metric name); `name` when absent. */
  metric: z.string().optional(),
  point: z.string().optional(),
  why: z.string().optional(),
  /** Any further fields (false-alarm rate, power, …), shown as they are on the card. */
  details: z.record(z.string(), detail).optional(),
});

/** What a verdict card says about one estimator besides its criteria. */
const verdictSchema = z.strictObject({
  estimator: z.string().min(1),
  /** The bin farthest from the truth: its label, the metric used to rank and its value. */
  worst: z.strictObject({ bin: z.string(), metric: z.string(), value: z.number(), point: z.string().optional() }).optional(),
  /** Key numbers of the estimator (shown on its card). */
  numbers: z.record(z.string(), scalar).optional(),
  /** Statuses other than ok, counted (e.g. notConverged: 2). */
  failures: z.record(z.string(), z.number()).optional(),
});

const summarySchema = z.strictObject({
  /** The resolved study configuration (any JSON), or its name. */
  config: z.unknown(),
  /** Root seed, or the per-toy seeds (any JSON). */
  seeds: z.unknown(),
  /** Sample size(s): events per toy, or a map such as { toys, eventsPerToy }. */
  N: z.union([z.number(), z.record(z.string(), z.number())]),
  backend: z.string(),
  version: z.string().optional(),
  gitCommit: z.string().optional(),
  criteria: z.array(criterionSchema),
  headline: z.record(z.string(), scalar),
  /** Estimates that did not succeed (not identifiable, collapsed, failed, …), one line each; shown in red. */
  alerts: z.array(z.string()).optional(),
  /** One entry per estimator for its verdict card (optional: cards are also made from criteria alone). */
  verdicts: z.array(verdictSchema).optional(),
});

const plotSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, "-" and "_", starting with a letter or digit'),
  title: z.string().min(1),
  caption: z.string().min(1),
  spec: z.record(z.string(), z.unknown()),
  facts: z.record(z.string(), scalar).optional(),
  table: z
    .strictObject({
      columns: z.array(z.string()),
      rows: z.array(z.array(z.union([z.string(), z.number(), z.boolean()]))),
    })
    .optional(),
});

export const reportSchema = z.strictObject({
  title: z.string().min(1),
  summary: summarySchema,
  plots: z.array(plotSchema),
});

export type Criterion = z.infer<typeof criterionSchema>;
export type Verdict = z.infer<typeof verdictSchema>;
export type ReportSummary = z.infer<typeof summarySchema>;
export interface Report {
  title: string;
  summary: ReportSummary;
  plots: Plot[];
}

/** Find a `url` under any `data` (the report must stay offline: data is inlined). */
function findDataUrl(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findDataUrl(value[i], `${path}[${i}]`);
      if (hit) return hit;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'data' && v && typeof v === 'object' && 'url' in v) return `${path}.data.url`;
      // Inline rows can be large and never hold specs: skip them.
      if (k === 'values') continue;
      const hit = findDataUrl(v, `${path}.${k}`);
      if (hit) return hit;
    }
  }
  return undefined;
}

export function parseReport(value: unknown, source = 'report'): Report {
  const res = reportSchema.safeParse(value);
  if (!res.success) {
    const issue = res.error.issues[0]!;
    const path = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '');
    let at: unknown = value;
    for (const p of issue.path)
      at = at != null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[p as PropertyKey] : undefined;
    throw new ConfigError(path, at, issue.message, source);
  }
  const report = res.data as unknown as Report;
  const seen = new Set<string>();
  report.plots.forEach((p, i) => {
    if (seen.has(p.id)) throw new ConfigError(`plots[${i}].id`, p.id, 'plot ids must be unique (they name the files)', source);
    seen.add(p.id);
    const url = findDataUrl(p.spec, `plots[${i}].spec`);
    if (url)
      throw new ConfigError(
        url,
        (p.spec as { data?: { url?: unknown } }).data?.url ?? 'url',
        'data must be inlined (values), the report is offline',
        source,
      );
  });
  return report;
}
