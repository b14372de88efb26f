/** Plain-text table of a calibration: per criterion the measured false-alarm rate against its budget and the power. */
import { calibrationStatusText, type StudyCalibration } from './verdict/studyCalibration.js';
import { pullFloorLabel, pullFloorText } from './verdict/pullFloors.js';
import { errorScaleText } from './verdict/errorScales.js';
import { yieldSystematicText } from './verdict/yieldSystematics.js';
import { resampledNullText } from './verdict/resampledNull.js';

const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : 'n/a');

export function printCalibration(cal: StudyCalibration): string {
  const lines = [
    `calibration of ${cal.study}${cal.quick ? ' (quick)' : ''}: ${cal.nullToys} null toys in ${cal.groups} groups of ${cal.toysPerGroup}`,
  ];
  for (const c of cal.criteria) {
    const k = c.calibration;
    const budget = k.status === 'no budget' ? 'no budget' : `budget ${pct(k.budget ?? NaN)}: ${calibrationStatusText(k)}`;
    lines.push(`  ${c.key}`);
    lines.push(
      k.status === 'power only'
        ? `    false alarms: not measurable here; ${calibrationStatusText(k)}`
        : `    false alarms ${k.failures}/${k.groups} = ${pct(k.rate)} [${pct(k.rateLo)}, ${pct(k.rateHi)}]  ${budget}`,
    );
    if (k.resampled) lines.push(`    ${resampledNullText(k.resampled)}`);
    for (const [d, p] of Object.entries(k.power)) lines.push(`    power ${d}: ${pct(p)}`);
    if (k.unjudgedBins?.length) lines.push(`    cannot judge (+-20 %, >= 100 flips, power < 0.9): ${k.unjudgedBins.join('; ')}`);
  }
  for (const key of cal.notMeasured ?? [])
    lines.push(`  ${key}\n    NOT MEASURED: its estimator is not in the null run${cal.note ? ` (${cal.note})` : ''}`);
  // What the networks' criteria above were judged with (fitted on the first half of the groups).
  for (const x of cal.errorScales ?? []) lines.push(`  ${x.estimator} error (${x.region}, ${x.point}): ${errorScaleText(x)}`);
  for (const x of cal.yieldSystematics ?? []) lines.push(`  ${x.estimator} SC yield (${x.point}): ${yieldSystematicText(x)}`);
  for (const f of (cal.pullFloors ?? []).filter((x) => x.region === 'all'))
    lines.push(
      `  pull floor ${pullFloorLabel(
        f,
        cal.pullFloors!.some((x) => x.point !== f.point),
      )}: ${pullFloorText(f, 'null toys')}`,
    );
  return `${lines.join('\n')}\n`;
}
