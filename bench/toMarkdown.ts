/**
 * Render one `npm run bench` JSON as Markdown, so the figures in docs/benchmarks.md are never typed by hand:
 *
 *   node dist/bench/toMarkdown.js reports/bench/<run>.json > docs/benchmarks.md
 *
 * Sections appear for the benchmarks the run holds; anything missing or failed is shown as such ("—", or the
 * error text), never filled in.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const f = (x: unknown, digits = 2): string =>
  typeof x === 'number' && Number.isFinite(x)
    ? Math.abs(x) >= 1e4
      ? Math.round(x).toLocaleString('en-US')
      : x.toPrecision(Math.max(digits, 1)).replace(/\.?0+$/, (m) => (m.includes('.') ? '' : m))
    : '—';
const k = (x: unknown): string =>
  typeof x === 'number' && Number.isFinite(x) ? (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : `${(x / 1000).toFixed(1)} k`) : '—';
const row = (cells: unknown[]): string => `| ${cells.map((c) => String(c)).join(' | ')} |`;
const table = (head: string[], rows: unknown[][]): string => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

function run(r: J | undefined, digits = 3): string {
  if (!r) return '—';
  if (r.exit !== 0) return `failed (${String(r.error ?? r.exit).replaceAll('|', '/')})`;
  return `${f(r.wall_s, digits)} s / ${f(r.peak_rss_mb, 3)} MB`;
}

function trainSection(t: J): string {
  const rows = (t.rows ?? []).map((r: J) => [
    r.model,
    r.batch,
    k(r.train_pairs_per_s?.manual_2threads),
    k(r.train_pairs_per_s?.manual_1thread),
    k(r.peer?.train_pairs_per_s),
    f(r.ratio_to_peer?.train_manual_2threads, 3),
    k(r.inference_electrons_per_s),
    k(r.peer?.inference_electrons_per_s),
    f(r.ratio_to_peer?.inference, 3),
  ]);
  return [
    `## φ training throughput (backend ${t.backend}, best of ${t.repeats_best_of})`,
    '',
    table(
      [
        'model',
        'batch',
        'ours 2 threads pairs/s',
        'ours 1 thread',
        'torch peer (2 threads)',
        'ratio (2 threads)',
        'inference e/s',
        'peer inference',
        'ratio',
      ],
      rows,
    ),
  ].join('\n');
}

function commandsSection(c: J): string {
  const rows = (c.rows ?? []).map((r: J) => [r.format, f(r.file_mb, 4), run(r.train), run(r.fit), run(r.apply)]);
  const s = c.startup ?? {};
  return [
    `## Whole commands on ${f(c.events)} selected events (wall / peak RSS)`,
    '',
    `\`qmisid train ${c.train?.args ?? ''} --epochs ${c.train?.epochs}\`, \`qmisid fit\` (defaults), \`qmisid apply\` of the Parquet-trained model. Load average ${f(c.loadavg1_before)} before, ${f(c.loadavg1_after)} after.`,
    '',
    table(['input', 'file MB', 'train', 'fit', 'apply'], rows),
    '',
    ...(c.train_parquet_oc_keep_0_01
      ? [`\`train --oc-keep 0.01\` from Parquet (OC dropped while reading): ${run(c.train_parquet_oc_keep_0_01)}.`, '']
      : []),
    ...(c.node_without_launcher
      ? [
          `Through \`node bin/qmisid.js\` (the launcher line skipped, glibc's default malloc arenas): train from Parquet ` +
            `${run(c.node_without_launcher.train_parquet)}, apply from Parquet ${run(c.node_without_launcher.apply_parquet)}.`,
          '',
        ]
      : []),
    ...(c.csv_read
      ? [
          `CSV reader alone (${f(c.file_mb?.csv, 4)} MB file, in process): every column (${c.csv_read.every_column.columns}) ` +
            `${f(c.csv_read.every_column.mb_per_s, 3)} MB/s (${f(c.csv_read.every_column.wall_s, 3)} s); ` +
            `the ${c.csv_read.fit_columns.columns} columns \`fit\` reads ${f(c.csv_read.fit_columns.mb_per_s, 3)} MB/s ` +
            `(${f(c.csv_read.fit_columns.wall_s, 3)} s).`,
          '',
        ]
      : []),
    'Fixed start-up cost:',
    '',
    table(
      ['what', 'wall / peak RSS'],
      [
        ['`qmisid --version`', run(s.version)],
        ['`qmisid train` on 1000 events, 1 epoch (2 gradient threads)', run(s.train_1000_events_1_epoch)],
        ['the same on 1 thread (no worker start)', run(s.train_1000_events_1_epoch_1_thread)],
      ],
    ),
  ].join('\n');
}

function ttaSection(t: J): string {
  if (t.error) return `## Time to accuracy\n\n${t.error}`;
  const rows = (t.rows ?? []).map((r: J) => {
    if (r.peer_error) return [r.oc_keep, `peer failed: ${r.peer_error}`, '', '', '', '', '', ''];
    const tries = (r.ours ?? [])
      .map((o: J) => (o.error ? `${o.epochs} ep: failed` : `${o.epochs} ep: ${f(o.wall_s, 3)} s, ${f(o.mse, 3)}`))
      .join('; ');
    return [
      r.oc_keep,
      `${f(r.peer.wall_s, 3)} s (${r.peer.epochs} epochs, ${f(r.peer.events)} events)`,
      f(r.peer.mse, 3),
      tries,
      r.reached ? `${f(r.reached.wall_s, 3)} s` : 'not reached',
      f(r.speedup_vs_peer, 3),
      r.cpu_ratio_peer_to_ours != null ? f(r.cpu_ratio_peer_to_ours, 3) : '',
      r.train_pairs_per_s_ratio != null
        ? `${f(r.reached.train_pairs_per_s)} / ${f(r.peer.raw.pairs_per_s)} = ${f(r.train_pairs_per_s_ratio, 3)}`
        : '',
    ];
  });
  return [
    `## Time to accuracy (${f(t.events)} selected events, window; ${f(t.probe_electrons)} probe electrons)`,
    '',
    `Target: the torch peer's ${t.metric} after its run; ours: \`qmisid train\` from Parquet with more epochs until it is at least as accurate. Both are whole processes (the peer reads CSV: its own input path). Load average before ${f(t.loadavg1_before)}, after ${f(t.loadavg1_after)}.`,
    '',
    table(
      [
        'OC keep',
        'peer wall',
        'peer MSE',
        'ours (epochs: wall, MSE)',
        'ours to target',
        'speed-up (peer / ours)',
        'CPU s (peer / ours)',
        'training pairs/s (ours / peer)',
      ],
      rows,
    ),
  ].join('\n');
}

/** A count as written (10,000,000), not rounded to two digits. */
const count = (x: unknown): string => (typeof x === 'number' && Number.isInteger(x) ? x.toLocaleString('en-US') : f(x));

function pipelineSection(p: J): string {
  const c = p.commands ?? {};
  const fm = p.file_mb ?? {};
  return [
    `## Pipeline: ${count(p.truth_events)} truth Z events end to end (${count(p.selected_events)} selected rows, Parquet${p.parts?.events ? `, ${p.parts.events} parts in, ${p.parts.applied} parts out` : ''})`,
    '',
    `Each command a child process streaming from disk: \`generate --truth-events\` → \`fit\` → \`train --oc-keep ${p.train?.oc_keep}\` (${p.train?.epochs} epoch, ${p.train?.features}, ${p.train?.region}) → \`apply\`. Peak RSS of each whole process from /usr/bin/time. Load average ${f(p.loadavg1_before)} before, ${f(p.loadavg1_after)} after${
      c.generate?.loadavg_before
        ? ` (1/5/15 min around each command: ${['generate', 'fit', 'train', 'apply']
            .filter((k) => c[k]?.loadavg_before)
            .map((k) => `${k} ${c[k].loadavg_before.join('/')} → ${c[k].loadavg_after.join('/')}`)
            .join('; ')})`
        : ''
    }.`,
    '',
    table(
      ['command', 'wall / peak RSS', 'output MB'],
      [
        ['generate', run(c.generate), f(fm.events, 4)],
        ['fit', run(c.fit), f(fm.fit_json, 2)],
        ['train', run(c.train), f(fm.model, 2)],
        ['apply', run(c.apply), f(fm.applied, 4)],
        ['**total**', `${f(p.total_wall_s, 4)} s / ${f(p.peak_rss_mb, 4)} MB (largest peak)`, ''],
      ],
    ),
    '',
    `Floor: largest peak RSS < ${f(p.floor?.peak_rss_mb, 4)} MB: **${p.floor?.pass ? 'pass' : 'FAIL'}**.`,
    ...(p.note ? ['', `Note: ${p.note}.`] : []),
  ].join('\n');
}

export function benchToMarkdown(d: J): string {
  const m = d.machine ?? {};
  const parts = [
    '# Benchmarks',
    '',
    `Generated by \`node dist/bench/toMarkdown.js\` from one run of \`npm run bench\` (${d.date}, version ${d.version}); nothing here is typed by hand.`,
    `Machine: ${m.cores} cores, ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}; load average at the end ${f(m.loadavg1)}.`,
    "Figures move with the machine's load; the ratios to the peers are measured back to back in the same run.",
  ];
  const r = d.results ?? {};
  if (r.train) parts.push('', trainSection(r.train));
  if (r.commands) parts.push('', commandsSection(r.commands));
  if (r['time-to-accuracy']) parts.push('', ttaSection(r['time-to-accuracy']));
  // One run file may hold several pipeline sizes (an array) to show that memory is flat in N.
  for (const p of [r.pipeline ?? []].flat() as J[]) parts.push('', pipelineSection(p));
  if (r['binned-fit']) {
    const b = r['binned-fit'];
    parts.push(
      '',
      '## Binned fit',
      '',
      table(
        ['events', 'ours end to end', 'scipy peer', 'speed ratio', 'max rel. ε difference'],
        [
          [
            f(b.nEvents),
            `${f(b.ours?.endToEndSeconds, 3)} s`,
            `${f(b.peer?.endToEndSeconds, 3)} s`,
            f(b.speedRatioEndToEnd, 3),
            f(b.agreement?.maxRelEps, 2),
          ],
        ],
      ),
    );
  }
  if (r.generate) {
    const g = r.generate;
    parts.push(
      '',
      '## Generator kinematics',
      '',
      table(
        ['ours events/s', 'numpy peer events/s'],
        [[k(g.kinematics?.eventsPerSecond), k(g.peer?.after?.events_per_s ?? g.peer?.before?.events_per_s)]],
      ),
    );
  }
  return `${parts.join('\n')}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node dist/bench/toMarkdown.js reports/bench/<run>.json > docs/benchmarks.md\n');
    process.exitCode = 2;
  } else process.stdout.write(benchToMarkdown(JSON.parse(readFileSync(file, 'utf8')) as J));
}
