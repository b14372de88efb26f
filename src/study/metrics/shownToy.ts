/**
 * The toy a report shows where a plot draws one toy rather than all of them (ε curves, loss curves, ensemble
 * members in the degeneracy plane, the binned fit's pairing graph). Chosen once here, so every plot of a run
 * shows the same toy and names it:
 *   - the ε curves: the first successful toy, its truth profiles, and for each estimator that succeeded in it
 *     the estimator's own profiles and its per-bin ε along pT and |η| (coarseProfile);
 *   - per estimator: the first toy where it succeeded, else the first where it produced an estimate at all
 *     (not identifiable, collapsed, …: the degeneracy and the graph are worth seeing exactly then).
 */
import type { ProfileVariable } from './profiles.js';
import { coarseProfile, type CoarsePoint } from './coarseProfile.js';
import type { EstimatorRecord, EstimatorStatus, GraphRecord, MemberRecord, PointRecord, ProfileRecord, ToyRecord } from '../toyRecord.js';

export interface CurveToy {
  toy: number;
  /** Truth-ε profile and electron count per fine bin (absent in records written before profiles were stored). */
  truth?: PointRecord['profiles'];
  estimators: Record<
    string,
    { profiles?: Partial<Record<ProfileVariable, ProfileRecord>>; coarse: Record<'pt' | 'abseta', CoarsePoint[]> }
  >;
}

export interface ShownEstimatorToy {
  toy: number;
  status: EstimatorStatus;
  /** That toy's per-bin truth and electron count, beside the estimator's members and graph. */
  truth: (number | null)[];
  count: number[];
  members?: MemberRecord[];
  graph?: GraphRecord;
  tradeoffRatio?: number;
}

type Binning = { eta: readonly number[]; pt: readonly number[] };

/** `records` sorted by toy index. */
export function curveToy(label: string, records: readonly ToyRecord[], binning: Binning): CurveToy | undefined {
  for (const r of records) {
    if (r.status !== 'ok') continue;
    const point = r.points.find((p) => p.label === label);
    if (!point) continue;
    const estimators: CurveToy['estimators'] = {};
    for (const [name, rec] of Object.entries(point.estimators)) {
      if (rec.status !== 'ok') continue;
      estimators[name] = {
        ...(rec.profiles ? { profiles: rec.profiles } : {}),
        coarse: {
          pt: coarseProfile(binning, point.count, rec.eps, rec.err, 'pt'),
          abseta: coarseProfile(binning, point.count, rec.eps, rec.err, 'abseta'),
        },
      };
    }
    return { toy: r.toy, ...(point.profiles ? { truth: point.profiles } : {}), estimators };
  }
  return undefined;
}

/** Absent when no toy produced an estimate, or the estimator stores neither members nor a graph. */
export function shownEstimatorToy(label: string, name: string, records: readonly ToyRecord[]): ShownEstimatorToy | undefined {
  let ok: { toy: number; point: PointRecord; rec: EstimatorRecord } | undefined;
  let any: typeof ok;
  for (const r of records) {
    const point = r.points.find((p) => p.label === label);
    const rec = point?.estimators[name];
    if (!point || !rec) continue;
    if (r.status === 'ok' && rec.status === 'ok') {
      ok = { toy: r.toy, point, rec };
      break;
    }
    if (!any && rec.status !== 'failed') any = { toy: r.toy, point, rec };
  }
  const first = ok ?? any;
  if (!first || (!first.rec.members?.length && !first.rec.graph)) return undefined;
  const { rec } = first;
  const ratio = rec.diagnostics.tradeoffRatio;
  return {
    toy: first.toy,
    status: rec.status,
    truth: first.point.truth,
    count: first.point.count,
    ...(rec.members?.length ? { members: rec.members } : {}),
    ...(rec.graph ? { graph: rec.graph } : {}),
    ...(typeof ratio === 'number' ? { tradeoffRatio: ratio } : {}),
  };
}
