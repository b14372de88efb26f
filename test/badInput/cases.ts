/**
 * The bad-input cases: every command (generate, train, apply, fit, study, merge, report) and every input kind
 * (flags, config and study JSON, Parquet/Arrow/CSV event files, model directories, run directories, output
 * locations). Flag values are drawn by fast-check from arbitraries that can only produce invalid values
 * (fixed seed BAD_INPUT_SEED, printed by the test); the rest are enumerated. Each case says which strings
 * the one-line error must contain: the flag/key/column/file and the offending value.
 */
import fc from 'fast-check';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FORMATS, TINY_STUDY, type Fixtures, type Format } from './fixtures.js';
import { shown } from './harness.js';

export const BAD_INPUT_SEED = Number(process.env.BAD_INPUT_SEED ?? 20261130);
const SAMPLES = 5;

export interface CaseRun {
  args: string[];
  /** Substrings the error line must contain. */
  needles: string[];
}

export interface CaseSpec {
  name: string;
  /** Build the arguments; `dir` is the case's own fresh directory (outputs go there; setup files may too). */
  make: (fx: Fixtures, dir: string) => CaseRun;
}

const sample = <T>(arb: fc.Arbitrary<T>, salt: number, n = SAMPLES): T[] => fc.sample(arb, { seed: BAD_INPUT_SEED + salt, numRuns: n });

/** Strings that are never a number: at least one letter other than e/E, or empty/blank. */
const notNumber = fc.oneof(
  fc.constantFrom('', ' ', 'abc', 'NaN', 'Infinity', '-Infinity', '0x10', '1,5', 'five', '1e', '--'),
  fc.string({ minLength: 1, maxLength: 10 }).filter((s) => /[a-df-zA-DF-Z]/.test(s)),
);
/** Non-integers: a decimal with a non-zero fractional digit. */
const fraction = fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: 9 })).map(([a, b]) => `${a}.${b}`);
const badInt = (min: number, max: number): fc.Arbitrary<string> =>
  fc.oneof(
    notNumber,
    fraction,
    fc.integer({ min: -1_000_000, max: min - 1 }).map(String),
    fc.integer({ min: 1, max: 1000 }).map((k) => String(max + k)),
    fc.constantFrom(`${max}0`, '1e400', `${max + 1}`),
  );
const badNumber = (below: number, above?: number): fc.Arbitrary<string> =>
  fc.oneof(
    notNumber,
    fc
      .double({ min: -1e6, max: below, noNaN: true, maxExcluded: true })
      .filter((x) => x < below)
      .map(String),
    ...(above != null
      ? [
          fc
            .double({ min: above, max: 1e6, noNaN: true, minExcluded: true })
            .filter((x) => x > above)
            .map(String),
        ]
      : []),
  );

/** Replace or add `--flag=value` in a base argument list (the = form keeps values like "-5" from reading as flags). */
function withFlag(base: string[], flag: string, value: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < base.length; i++) {
    if (base[i] === flag) {
      i++;
      continue;
    }
    out.push(base[i]!);
  }
  return [...out, `${flag}=${value}`];
}

const BASE = {
  generate: (fx: Fixtures, dir: string) => [
    'generate',
    '--events',
    '100',
    '--seed',
    '1',
    '--workers',
    '0',
    '--out',
    join(dir, 'out.parquet'),
  ],
  train: (fx: Fixtures, dir: string) => [
    'train',
    '--input',
    fx.events.parquet,
    '--out',
    join(dir, 'model'),
    '--hidden',
    '4',
    '--epochs',
    '1',
    '--backend',
    'cpu',
    '--no-progress',
  ],
  /** Without the size flags, so a --config file's values are the ones checked. */
  trainBare: (fx: Fixtures, dir: string) => [
    'train',
    '--input',
    fx.events.parquet,
    '--out',
    join(dir, 'model'),
    '--backend',
    'cpu',
    '--no-progress',
  ],
  fit: (fx: Fixtures, dir: string) => ['fit', '--input', fx.events.parquet, '--out', join(dir, 'fit.json')],
  folded: (fx: Fixtures, dir: string) => [
    'fit',
    '--input',
    fx.events.parquet,
    '--out',
    join(dir, 'fit.json'),
    '--folded',
    '--loss-mean',
    '0.01',
    '--extra-smear',
    '0.02',
  ],
  study: (fx: Fixtures, dir: string) => ['study', fx.studyFile, '--out', join(dir, 'run'), '--no-report'],
  apply: (fx: Fixtures, dir: string) => ['apply', '--model', fx.model, '--input', fx.events.parquet, '--out', join(dir, 'out.parquet')],
} as const;
type Base = keyof typeof BASE;

/** fast-check-drawn invalid values for one flag of one command. */
function flagCases(base: Base, flag: string, arb: fc.Arbitrary<string>, salt: number, n = SAMPLES): CaseSpec[] {
  return sample(arb, salt, n).map((value, k) => ({
    name: `${base} ${flag} #${k} ${JSON.stringify(value)}`,
    make: (fx, dir) => ({ args: withFlag(BASE[base](fx, dir), flag, value), needles: [flag, shown(value)] }),
  }));
}

function fixed(base: Base, flag: string, values: string[]): CaseSpec[] {
  return values.map((value) => ({
    name: `${base} ${flag} ${JSON.stringify(value)}`,
    make: (fx, dir) => ({ args: withFlag(BASE[base](fx, dir), flag, value), needles: [flag, shown(value)] }),
  }));
}

const FLAG_CASES: CaseSpec[] = [
  ...flagCases('generate', '--events', badInt(1, 500_000_000), 1),
  ...flagCases(
    'generate',
    '--workers',
    badInt(0, 2).filter((v) => !/^\d+$/.test(v) || Number(v) > 256 || Number(v) < 0),
    2,
  ),
  ...fixed('generate', '--workers', ['3', '100', '256']),
  ...flagCases('generate', '--chunk-events', badInt(1, 16_777_216), 3),
  ...fixed('generate', '--seed', ['', ' ', ' 7', 'x'.repeat(300)]),
  ...flagCases('train', '--epochs', badInt(1, 100_000), 10),
  ...flagCases('train', '--batch', badInt(1, 16_777_216), 11),
  ...flagCases('train', '--patience', badInt(1, 100_000), 12, 3),
  ...flagCases('train', '--ensemble', badInt(1, 256), 13),
  ...flagCases('train', '--threads', badInt(1, 16), 14, 3),
  ...flagCases('train', '--lr', badNumber(0), 15, 4),
  ...fixed('train', '--lr', ['0', '-0']),
  ...flagCases('train', '--oc-keep', badNumber(0, 1), 16, 4),
  ...flagCases('train', '--val-frac', badNumber(0, 1), 17, 4),
  ...fixed('train', '--val-frac', ['1']),
  ...fixed('train', '--hidden', ['', ',', '32,,32', '32,', '0', '-4', '4.5', '4,abc', '5000', Array(40).fill('4').join(',')]),
  ...fixed('train', '--features', ['', ',', 'pt,,eta']),
  ...fixed('train', '--seed', ['', '   ']),
  ...fixed('train', '--activation', ['swish', '']),
  ...fixed('train', '--schedule', ['linear']),
  ...fixed('train', '--backend', ['gpu']),
  ...fixed('train', '--gradient', ['numeric']),
  ...flagCases(
    'fit',
    '--bins-eta',
    notNumber.map((s) => `0,${s},2.47`),
    20,
    4,
  ),
  ...fixed('fit', '--bins-eta', ['', '0,,1', '1,0.5,2', '0']),
  ...flagCases(
    'fit',
    '--bins-pt',
    notNumber.map((s) => `25,${s}`),
    21,
    4,
  ),
  ...fixed('fit', '--bins-pt', ['60,25', '25,25,60']),
  ...fixed('fit', '--region', ['sidebands', '', 'WINDOW']),
  ...fixed('fit', '--seed', ['']),
  ...flagCases('folded', '--loss-mean', badNumber(0, 1), 22, 4),
  ...fixed('folded', '--loss-mean', ['1']),
  ...flagCases('folded', '--extra-smear', badNumber(0, 1), 23, 3),
  ...flagCases('folded', '--replicas', badInt(1, 65_535), 24, 4),
  ...flagCases('study', '--toys', badInt(1, 100_000), 30),
  ...flagCases(
    'study',
    '--workers',
    badInt(0, 2).filter((v) => !/^\d+$/.test(v) || Number(v) > 256 || Number(v) < 0),
    31,
    3,
  ),
  ...fixed('study', '--workers', ['3', '64']),
  ...fixed('study', '--shard', ['', '1', '2/2', '3/2', '-1/2', 'a/b', '0/0', '0/200000', '1/3/4']),
  ...fixed('study', '--seed', ['', ' ']),
  ...fixed('apply', '--backend', ['gpu']),
];

/** Flags whose checks name the flag but whose message shows the value differently. */
const FLAG_EXTRA: CaseSpec[] = [
  {
    name: 'generate both --events and --truth-events',
    make: (fx, dir) => ({ args: [...BASE.generate(fx, dir), '--truth-events', '100'], needles: ['--events', 'exactly one'] }),
  },
  {
    name: 'generate neither --events nor --truth-events',
    make: (fx, dir) => ({ args: ['generate', '--seed', '1', '--out', join(dir, 'x.parquet')], needles: ['--events', 'exactly one'] }),
  },
  ...sample(badInt(1, 2_147_483_647), 40).map((v, k) => ({
    name: `generate --truth-events #${k} ${JSON.stringify(v)}`,
    make: (fx: Fixtures, dir: string) => ({
      args: ['generate', '--seed', '1', '--out', join(dir, 'x.parquet'), `--truth-events=${v}`],
      needles: ['--truth-events', shown(v)],
    }),
  })),
  {
    name: 'generate missing --seed',
    make: (fx, dir) => ({ args: ['generate', '--events', '10', '--out', join(dir, 'x.parquet')], needles: ['--seed'] }),
  },
  { name: 'generate unknown flag', make: (fx, dir) => ({ args: [...BASE.generate(fx, dir), '--colour', 'blue'], needles: ['--colour'] }) },
  { name: 'train unknown flag', make: (fx, dir) => ({ args: [...BASE.train(fx, dir), '--epochz', '3'], needles: ['--epochz'] }) },
  {
    name: 'fit --loss-mean without --folded',
    make: (fx, dir) => ({ args: [...BASE.fit(fx, dir), '--loss-mean', '0.01'], needles: ['--loss-mean', 'only with --folded'] }),
  },
  { name: 'fit --folded without response', make: (fx, dir) => ({ args: [...BASE.fit(fx, dir), '--folded'], needles: ['--loss-mean'] }) },
  {
    name: 'fit --folded with --region all',
    make: (fx, dir) => ({ args: [...BASE.folded(fx, dir), '--region', 'all'], needles: ['--region', '"all"'] }),
  },
  {
    name: 'fit --weights missing column',
    make: (fx, dir) => ({ args: [...BASE.fit(fx, dir), '--weights', 'wt'], needles: [fx.events.parquet, 'wt'] }),
  },
  { name: 'unknown command', make: () => ({ args: ['frobnicate'], needles: ['frobnicate'] }) },
];

/** Generator and trainer config files (--config). */
function configCases(): CaseSpec[] {
  const bodies: [string, string, string[]][] = [
    ['null', 'null', ['<root>', 'null']],
    ['array', '[1, 2]', ['<root>', '[1,2]']],
    ['number', '42', ['<root>', '42']],
    ['string', '"hello"', ['<root>', '"hello"']],
    ['invalid JSON', '{ "eps": ', ['invalid JSON']],
    ['empty file', '', ['invalid JSON']],
  ];
  const out: CaseSpec[] = [];
  for (const cmd of ['generate', 'train'] as const) {
    for (const [name, body, needles] of bodies) {
      out.push({
        name: `${cmd} --config ${name}`,
        make: (fx, dir) => {
          const file = join(dir, 'config.json');
          writeFileSync(file, body);
          return { args: [...BASE[cmd === 'train' ? 'trainBare' : 'generate'](fx, dir), '--config', file], needles: [file, ...needles] };
        },
      });
    }
    out.push({
      name: `${cmd} --config missing file`,
      make: (fx, dir) => ({
        args: [...BASE[cmd](fx, dir), '--config', join(dir, 'nope.json')],
        needles: ['--config', join(dir, 'nope.json'), 'no such file'],
      }),
    });
    out.push({
      name: `${cmd} --config is a directory`,
      make: (fx, dir) => ({ args: [...BASE[cmd](fx, dir), '--config', dir], needles: ['--config', 'not a regular file'] }),
    });
  }
  const keyed: [string, string, unknown, string][] = [
    ['generate', 'unknown top-level key', { epz: 1 }, 'epz'],
    ['generate', 'nested unknown key', { detector: { flipp: {} } }, 'detector.flipp'],
    ['generate', 'negative mass', { z: { mass: -91 } }, 'z'],
    ['train', 'unknown key', { epochz: 3 }, 'epochz'],
    ['train', 'hidden not a list', { hidden: 32 }, 'hidden'],
    ['train', 'epochs zero', { epochs: 0 }, 'epochs'],
    ['train', 'ensemble above bound', { ensemble: 100000 }, 'ensemble'],
    ['train', 'lr negative', { lr: -1 }, 'lr'],
    ['train', 'seed empty', { seed: '' }, 'seed'],
    ['train', 'activation unknown', { activation: 'swish' }, 'activation'],
  ];
  for (const [cmd, name, body, key] of keyed) {
    out.push({
      name: `${cmd} --config ${name}`,
      make: (fx, dir) => {
        const file = join(dir, 'config.json');
        writeFileSync(file, JSON.stringify(body));
        return { args: [...BASE[cmd === 'train' ? 'trainBare' : 'generate'](fx, dir), '--config', file], needles: [file, key] };
      },
    });
  }
  return out;
}

/** Study files: syntax, schema, bounds, and estimator options anywhere they can be set. */
function studyFileCases(): CaseSpec[] {
  const est = TINY_STUDY.estimators;
  const variants: [string, unknown, string[]][] = [
    ['null', null, ['<root>']],
    ['array', [], ['<root>']],
    ['missing name', { ...TINY_STUDY, name: undefined }, ['name']],
    ['unknown key', { ...TINY_STUDY, tosy: 3 }, ['tosy']],
    ['toys zero', { ...TINY_STUDY, toys: 0 }, ['toys', '0']],
    ['toys above bound', { ...TINY_STUDY, toys: 1e7 }, ['toys', '10000000']],
    ['events 2^53', { ...TINY_STUDY, events: 2 ** 53 }, ['events', '9007199254740992']],
    ['events fraction', { ...TINY_STUDY, events: 10.5 }, ['events', '10.5']],
    ['seed empty', { ...TINY_STUDY, seed: '' }, ['seed']],
    ['estimator kind', { ...TINY_STUDY, estimators: [{ name: 'x', kind: 'magic' }] }, ['estimators.0.kind', '"magic"']],
    [
      'binned option typo',
      { ...TINY_STUDY, estimators: [{ ...est[0], options: { errorz: 'sandwich' } }, est[1]] },
      ['estimators.0.options.errorz'],
    ],
    [
      'binned option value',
      { ...TINY_STUDY, estimators: [{ ...est[0], options: { errors: 'bootstrap' } }, est[1]] },
      ['estimators.0.options.errors', '"bootstrap"'],
    ],
    ['truth option', { ...TINY_STUDY, estimators: [est[0], { ...est[1], options: { x: 1 } }] }, ['estimators.1.options.x']],
    [
      'phi option typo',
      { ...TINY_STUDY, estimators: [...est, { name: 'phi', kind: 'phi', options: { epochz: 3 } }] },
      ['estimators.2.options.epochz', '3'],
    ],
    [
      'phi seed option',
      { ...TINY_STUDY, estimators: [...est, { name: 'phi', kind: 'phi', options: { seed: 5 } }] },
      ['estimators.2.options.seed', '5'],
    ],
    [
      'phi hidden above bound',
      { ...TINY_STUDY, estimators: [...est, { name: 'phi', kind: 'phi', options: { hidden: [100000] } }] },
      ['estimators.2.options.hidden.0'],
    ],
    [
      'folded without response',
      { ...TINY_STUDY, estimators: [...est, { name: 'fold', kind: 'binnedFolded' }] },
      ['estimators.2.options.response'],
    ],
    [
      'option typo in a scan point',
      { ...TINY_STUDY, scan: [{ label: 'a' }, { label: 'b', estimators: { binned: { maxIteration: 3 } } }] },
      ['scan.1.estimators.binned.maxIteration'],
    ],
    ['option typo in quick', { ...TINY_STUDY, quick: { estimators: { binned: { errorz: 1 } } } }, ['quick.estimators.binned.errorz']],
    [
      'criterion estimator unknown',
      { ...TINY_STUDY, criteria: [{ metric: 'failureRate', estimator: 'nope', op: '<', threshold: 1 }] },
      ['criteria.0.estimator', '"nope"'],
    ],
    ['generator key unknown', { ...TINY_STUDY, generator: { detectr: {} } }, ['generator.detectr']],
    ['binning not increasing', { ...TINY_STUDY, binning: { eta: [0, 2, 1], pt: [25, 1000] } }, ['binning.eta']],
    ['plot name unknown', { ...TINY_STUDY, plots: ['massSpectra', 'massSpectrum'] }, ['plots.1', '"massSpectrum"', 'massSpectra']],
    ['plot entry name unknown', { ...TINY_STUDY, plots: [{ plot: 'pullz' }] }, ['plots.0', '"pullz"']],
    ['plot point unknown', { ...TINY_STUDY, plots: [{ plot: 'massSpectra', points: ['nope'] }] }, ['plots.0.points.0', '"nope"']],
    ['plot estimator unknown', { ...TINY_STUDY, plots: [{ plot: 'pulls', estimators: ['nope'] }] }, ['plots.0.estimators.0', '"nope"']],
    ['plot variables off closure', { ...TINY_STUDY, plots: [{ plot: 'pulls', variables: ['eta'] }] }, ['plots.0.variables', 'closure']],
  ];
  const out: CaseSpec[] = variants.map(([name, body, needles]) => ({
    name: `study file ${name}`,
    make: (fx, dir) => {
      const file = join(dir, 'study.json');
      writeFileSync(file, JSON.stringify(body));
      return { args: ['study', file, '--out', join(dir, 'run'), '--no-report'], needles: [file, ...needles] };
    },
  }));
  out.push({
    name: 'study file invalid JSON',
    make: (fx, dir) => {
      const file = join(dir, 'study.json');
      writeFileSync(file, '{"name": "x",');
      return { args: ['study', file, '--out', join(dir, 'run')], needles: [file, 'valid JSON'] };
    },
  });
  out.push({
    name: 'study unknown name',
    make: (fx, dir) => ({ args: ['study', 'no-such-study', '--out', join(dir, 'run')], needles: ['<study>', '"no-such-study"'] }),
  });
  out.push({
    name: 'study --toys above bound',
    make: (fx, dir) => ({ args: ['study', fx.studyFile, '--out', join(dir, 'run'), '--toys', '1e12'], needles: ['--toys', '"1e12"'] }),
  });
  out.push({
    name: 'study more shards than toys',
    make: (fx, dir) => ({ args: ['study', fx.studyFile, '--out', join(dir, 'run'), '--shard', '0/5'], needles: ['--shard', '"0/5"'] }),
  });
  return out;
}

/** Damaged event files × the commands that read them. */
function eventFileCases(): CaseSpec[] {
  const out: CaseSpec[] = [];
  const commands: [string, (fx: Fixtures, dir: string, file: string) => string[]][] = [
    ['train', (fx, dir, file) => withFlag(BASE.train(fx, dir), '--input', file)],
    ['fit', (fx, dir, file) => withFlag(BASE.fit(fx, dir), '--input', file)],
    ['apply', (fx, dir, file) => withFlag(BASE.apply(fx, dir), '--input', file)],
  ];
  const DEFECTS = [
    'nan-pt1',
    'inf-eta2',
    'bad-charge',
    'bad-sc',
    'bad-region',
    'text-pt1',
    'truncated',
    'empty',
    'garbage',
    'no-pt1',
    'no-sc',
    'bad-meta',
  ];
  const extra = (defect: string, f: Format): string[] => {
    if (defect === 'text-pt1') return f === 'csv' ? ['row 4', '"abc"'] : ['Utf8'];
    if (defect === 'bad-meta') return f === 'csv' ? ['sidecar'] : [];
    if (defect === 'truncated' || defect === 'empty' || defect === 'garbage')
      return f === 'csv' && defect === 'garbage' ? [] : [f === 'csv' ? 'CSV' : f === 'arrow' ? 'Arrow' : 'Parquet'];
    return [];
  };
  for (const [cmd, argv] of commands) {
    for (const defect of DEFECTS) {
      // apply does not need the sc column: a file without it is valid input for apply.
      if (cmd === 'apply' && defect === 'no-sc') continue;
      for (const f of FORMATS) {
        out.push({
          name: `${cmd} ${defect} .${f}`,
          make: (fx, dir) => {
            const file = fx.bad[defect]!.files[f];
            const needles = [file, ...(defect === 'bad-meta' && f === 'csv' ? [] : fx.bad[defect]!.needles), ...extra(defect, f)];
            return { args: argv(fx, dir, file), needles };
          },
        });
      }
    }
    out.push({
      name: `${cmd} input missing`,
      make: (fx, dir) => ({ args: argv(fx, dir, join(dir, 'nope.parquet')), needles: ['--input', join(dir, 'nope.parquet')] }),
    });
    // A directory is read as a sample in parts (src/io/eventParts.ts): one without parts is refused, named.
    out.push({
      name: `${cmd} input is a directory without event-file parts`,
      make: (fx, dir) => {
        const empty = join(dir, 'no-parts');
        mkdirSync(empty);
        return { args: argv(fx, dir, empty), needles: [empty, 'no event-file parts'] };
      },
    });
    out.push({
      name: `${cmd} input unknown extension`,
      make: (fx, dir) => {
        const file = join(dir, 'events.root');
        writeFileSync(file, 'x');
        return { args: argv(fx, dir, file), needles: [file, '.root'] };
      },
    });
  }
  return out;
}

/** Damaged or wrong model directories for apply. */
function modelCases(): CaseSpec[] {
  const names = [
    'sd-zero',
    'sd-negative',
    'mean-null',
    'mean-short',
    'format',
    'no-format',
    'kind',
    'features',
    'arch-inputs',
    'arch-hidden',
    'activation',
    'members',
    'slice',
    'slice-long',
    'nan-weight',
    'inf-weight',
    'weights-odd',
    'weights-missing',
    'json-garbage',
    'json-null',
    'json-array',
  ];
  const out: CaseSpec[] = names.map((name) => ({
    name: `apply model ${name}`,
    make: (fx, dir) => ({ args: withFlag(BASE.apply(fx, dir), '--model', fx.badModels[name]!.dir), needles: fx.badModels[name]!.needles }),
  }));
  out.push({
    name: 'apply model missing',
    make: (fx, dir) => ({
      args: withFlag(BASE.apply(fx, dir), '--model', join(dir, 'nomodel')),
      needles: ['--model', join(dir, 'nomodel')],
    }),
  });
  out.push({
    name: 'apply model is a file',
    make: (fx, dir) => ({ args: withFlag(BASE.apply(fx, dir), '--model', fx.events.csv), needles: ['--model', fx.events.csv] }),
  });
  out.push({
    name: 'apply model directory without model.json',
    make: (fx, dir) => {
      mkdirSync(join(dir, 'empty-model'));
      return {
        args: withFlag(BASE.apply(fx, dir), '--model', join(dir, 'empty-model')),
        needles: [join(dir, 'empty-model', 'model.json')],
      };
    },
  });
  return out;
}

/** Output locations: existing directories/files of the wrong kind, unwritable places, the input itself. */
function outputCases(): CaseSpec[] {
  const fileOut: [string, (fx: Fixtures, dir: string) => string[]][] = [
    ['generate', (fx, dir) => BASE.generate(fx, dir)],
    ['fit', (fx, dir) => BASE.fit(fx, dir)],
    ['apply', (fx, dir) => BASE.apply(fx, dir)],
  ];
  const out: CaseSpec[] = [];
  for (const [cmd, base] of fileOut) {
    out.push({
      name: `${cmd} --out is an existing directory`,
      make: (fx, dir) => {
        const o = join(dir, cmd === 'fit' ? 'outdir.json' : 'outdir.parquet');
        mkdirSync(o);
        return { args: withFlag(base(fx, dir), '--out', o), needles: ['--out', o, 'directory'] };
      },
    });
    out.push({
      name: `${cmd} --out below a file`,
      make: (fx, dir) => {
        writeFileSync(join(dir, 'afile'), 'x');
        const o = join(dir, 'afile', cmd === 'fit' ? 'x.json' : 'x.parquet');
        return { args: withFlag(base(fx, dir), '--out', o), needles: ['--out', o, 'is a file'] };
      },
    });
    out.push({
      name: `${cmd} --out in /proc`,
      make: (fx, dir) => {
        const o = `/proc/qmisid-bad-input/${cmd === 'fit' ? 'x.json' : 'x.parquet'}`;
        return { args: withFlag(base(fx, dir), '--out', o), needles: ['--out', o] };
      },
    });
    out.push({ name: `${cmd} --out empty`, make: (fx, dir) => ({ args: withFlag(base(fx, dir), '--out', ''), needles: ['--out'] }) });
  }
  for (const cmd of ['generate', 'apply'] as const) {
    out.push({
      name: `${cmd} --out unknown extension`,
      make: (fx, dir) => ({ args: withFlag(BASE[cmd](fx, dir), '--out', join(dir, 'x.txt')), needles: ['--out', join(dir, 'x.txt')] }),
    });
    out.push({
      name: `${cmd} --out sidecar path is a directory`,
      make: (fx, dir) => {
        mkdirSync(join(dir, 'x.parquet.json'));
        return { args: withFlag(BASE[cmd](fx, dir), '--out', join(dir, 'x.parquet')), needles: ['--out', join(dir, 'x.parquet.json')] };
      },
    });
  }
  out.push({
    name: 'apply --out equals --input',
    make: (fx, dir) => ({
      args: withFlag(BASE.apply(fx, dir), '--out', fx.events.parquet),
      needles: ['--out', fx.events.parquet, '--input'],
    }),
  });
  // Directory outputs: train (model), study (run directory).
  for (const cmd of ['train', 'study'] as const) {
    out.push({
      name: `${cmd} --out is an existing file`,
      make: (fx, dir) => {
        writeFileSync(join(dir, 'afile'), 'x');
        return { args: withFlag(BASE[cmd](fx, dir), '--out', join(dir, 'afile')), needles: ['--out', join(dir, 'afile'), 'existing file'] };
      },
    });
    out.push({
      name: `${cmd} --out is a foreign non-empty directory`,
      make: (fx, dir) => {
        mkdirSync(join(dir, 'mine'));
        writeFileSync(join(dir, 'mine', 'thesis.tex'), 'precious');
        return { args: withFlag(BASE[cmd](fx, dir), '--out', join(dir, 'mine')), needles: ['--out', join(dir, 'mine'), `not a`] };
      },
    });
    out.push({
      name: `${cmd} --out below a file`,
      make: (fx, dir) => {
        writeFileSync(join(dir, 'afile'), 'x');
        return { args: withFlag(BASE[cmd](fx, dir), '--out', join(dir, 'afile', 'sub')), needles: ['--out', join(dir, 'afile', 'sub')] };
      },
    });
  }
  out.push({
    name: 'study --out holds another study',
    make: (fx, dir) => {
      cpSync(fx.run, join(dir, 'run'), { recursive: true });
      return {
        args: ['study', fx.studyFile, '--out', join(dir, 'run'), '--seed', '99', '--no-report'],
        needles: ['--out', join(dir, 'run'), 'same study'],
      };
    },
  });
  out.push({
    name: 'study --out holds another shard',
    make: (fx, dir) => {
      cpSync(fx.run, join(dir, 'run'), { recursive: true });
      return {
        args: ['study', fx.studyFile, '--out', join(dir, 'run'), '--shard', '1/2', '--no-report'],
        needles: ['--out', join(dir, 'run'), 'shard'],
      };
    },
  });
  return out;
}

/** Run directories for resume, merge and report. */
function runDirCases(): CaseSpec[] {
  const out: CaseSpec[] = [];
  const copy = (fx: Fixtures, dir: string, name: string): string => {
    const d = join(dir, 'run');
    cpSync(fx.badRuns[name]!.dir, d, { recursive: true });
    return d;
  };
  const needlesIn = (fx: Fixtures, name: string, d: string): string[] =>
    fx.badRuns[name]!.needles.map((n) => n.replace(fx.badRuns[name]!.dir, d));
  for (const name of ['study-garbage', 'study-null', 'study-nofields']) {
    out.push({
      name: `study resume with ${name}`,
      make: (fx, dir) => {
        const d = copy(fx, dir, name);
        return { args: ['study', fx.studyFile, '--out', d, '--no-report'], needles: needlesIn(fx, name, d) };
      },
    });
  }
  for (const name of [
    'study-garbage',
    'study-null',
    'study-nofields',
    'summary-garbage',
    'summary-array',
    'summary-nofields',
    'toys-middle',
  ]) {
    out.push({
      name: `report with ${name}`,
      make: (fx, dir) => {
        const d = copy(fx, dir, name);
        return { args: ['report', d], needles: needlesIn(fx, name, d) };
      },
    });
  }
  for (const name of ['study-garbage', 'study-null', 'toys-middle']) {
    out.push({
      name: `merge with ${name}`,
      make: (fx, dir) => {
        const d = copy(fx, dir, name);
        return { args: ['merge', d, fx.run, '--out', join(dir, 'merged'), '--no-report'], needles: needlesIn(fx, name, d) };
      },
    });
  }
  out.push({
    name: 'report DIR missing',
    make: (fx, dir) => ({ args: ['report', join(dir, 'nope')], needles: ['DIR', join(dir, 'nope')] }),
  });
  out.push({
    name: 'report DIR not a run',
    make: (fx, dir) => {
      mkdirSync(join(dir, 'plain'));
      return { args: ['report', join(dir, 'plain')], needles: ['DIR', join(dir, 'plain')] };
    },
  });
  out.push({
    name: 'report --out is a file',
    make: (fx, dir) => {
      writeFileSync(join(dir, 'afile'), 'x');
      return { args: ['report', fx.run, '--out', join(dir, 'afile')], needles: ['--out', join(dir, 'afile')] };
    },
  });
  out.push({
    name: 'report --out is a foreign directory',
    make: (fx, dir) => {
      mkdirSync(join(dir, 'mine'));
      writeFileSync(join(dir, 'mine', 'notes.txt'), 'x');
      return { args: ['report', fx.run, '--out', join(dir, 'mine')], needles: ['--out', join(dir, 'mine')] };
    },
  });
  out.push({
    name: 'merge input missing',
    make: (fx, dir) => ({ args: ['merge', join(dir, 'nope'), '--out', join(dir, 'merged')], needles: ['DIR', join(dir, 'nope')] }),
  });
  out.push({
    name: 'merge input not a study',
    make: (fx, dir) => {
      mkdirSync(join(dir, 'plain'));
      return { args: ['merge', join(dir, 'plain'), '--out', join(dir, 'merged')], needles: ['DIR', join(dir, 'plain')] };
    },
  });
  out.push({
    name: 'merge --out is an input',
    make: (fx, dir) => {
      cpSync(fx.run, join(dir, 'run'), { recursive: true });
      return { args: ['merge', join(dir, 'run'), '--out', join(dir, 'run')], needles: ['--out', join(dir, 'run')] };
    },
  });
  out.push({
    name: 'merge --out is a file',
    make: (fx, dir) => {
      writeFileSync(join(dir, 'afile'), 'x');
      return { args: ['merge', fx.run, '--out', join(dir, 'afile')], needles: ['--out', join(dir, 'afile')] };
    },
  });
  out.push({
    name: 'merge different studies',
    make: (fx, dir) => {
      const other = join(dir, 'other');
      cpSync(fx.run, other, { recursive: true });
      const info = JSON.parse(readFileSync(join(other, 'study.json'), 'utf8'));
      info.study.seed = 12345;
      writeFileSync(join(other, 'study.json'), JSON.stringify(info));
      return {
        args: ['merge', fx.run, other, '--out', join(dir, 'merged'), '--no-report'],
        needles: [join(other, 'study.json'), 'different resolved study'],
      };
    },
  });
  return out;
}

/** Degenerate but well-formed data: all-zero weights, no same-charge event. */
function degenerateCases(): CaseSpec[] {
  return [
    {
      name: 'fit all-zero weights',
      make: (fx, dir) => ({
        args: [
          ...BASE.fit(fx, dir).slice(0, 1),
          '--input',
          fx.bad['zero-w']!.files.parquet,
          '--out',
          join(dir, 'fit.json'),
          '--weights',
          'w',
        ],
        needles: [fx.bad['zero-w']!.files.parquet, 'w', 'zero'],
      }),
    },
    {
      name: 'train all-zero weights',
      make: (fx, dir) => ({
        args: withFlag(BASE.train(fx, dir), '--input', fx.bad['zero-w']!.files.csv),
        needles: [fx.bad['zero-w']!.files.csv, 'w', 'zero'],
      }),
    },
    {
      name: 'train all-OC file',
      make: (fx, dir) => ({
        args: withFlag(BASE.train(fx, dir), '--input', fx.bad['all-oc']!.files.arrow),
        needles: [fx.bad['all-oc']!.files.arrow, 'sc', 'same-charge'],
      }),
    },
  ];
}

export function allCases(): CaseSpec[] {
  return [
    ...FLAG_CASES,
    ...FLAG_EXTRA,
    ...configCases(),
    ...studyFileCases(),
    ...eventFileCases(),
    ...modelCases(),
    ...outputCases(),
    ...runDirCases(),
    ...degenerateCases(),
  ];
}
