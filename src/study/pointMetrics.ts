/**
 * A scan point's own numbers (toyRecord.ts PointRecord, all but the estimators): selected and window events,
 * window SC events, the truth reference per bin (mean truth ε of the window's signal electrons) and the flipped
 * electrons per bin, the closure scan's observed cells, truth-ε profiles and the OC/SC m_ee spectra.
 *
 * The selected events come in one table (runToy's in-memory path) or block by block (a streamed toy,
 * streamToy.ts); the sums run in row order across blocks, so both give the same numbers bit for bit.
 */
import { assignBins, type BinAssignment } from '../binning/assignBins.js';
import type { Binning } from '../binning/Binning.js';
import type { EventTable } from '../events/columns.js';
import { PROFILE_VARIABLES } from './estimatorMetrics.js';
import { BinMeansAccumulator } from './metrics/binMeans.js';
import { MassSpectraAccumulator, PROFILE_EDGES, ProfileMeanAccumulator, profileBins, sig6 } from './metrics/profiles.js';
import { windowTable } from './prepareTable.js';
import { jsonNumber, type EstimatorRecord, type PointRecord } from './toyRecord.js';
import { SCAN_CELLS, addScanObserved } from './verdict/closureScan.js';

export class PointMetrics {
  private events = 0;
  private window = 0;
  private windowSC = 0;
  private readonly truth: BinMeansAccumulator;
  /** The generator's bookkeeping: flipped signal electrons per bin (the reachable target's numerator). */
  private readonly flipped: BinMeansAccumulator;
  private readonly scanObs = new Float64Array(SCAN_CELLS);
  private readonly profiles = PROFILE_VARIABLES.map((v) => new ProfileMeanAccumulator(PROFILE_EDGES[v].length - 1));
  private readonly mass = new MassSpectraAccumulator();

  constructor(private readonly binning: Binning) {
    this.truth = new BinMeansAccumulator(binning.size);
    this.flipped = new BinMeansAccumulator(binning.size);
  }

  /** Selected events (after the pairing topology); returns their window rows and the study bins of those. */
  add(events: EventTable): { window: EventTable; bins: BinAssignment } {
    this.events += events.n;
    this.mass.add(events);
    const window = this.windowOf(events);
    const bins = this.assign(window);
    const c = window.columns;
    this.window += window.n;
    this.truth.add(bins, c.truth_eps1!, c.truth_eps2!, c.is_background);
    this.flipped.add(bins, c.truth_flip1!, c.truth_flip2!, c.is_background);
    const sc = c.sc!;
    let windowSC = this.windowSC;
    for (let i = 0; i < window.n; i++) windowSC += sc[i]!;
    this.windowSC = windowSC;
    addScanObserved(this.scanObs, window);
    PROFILE_VARIABLES.forEach((v, j) => this.profiles[j]!.add(profileBins(window, v), c.truth_eps1!, c.truth_eps2!));
    return { window, bins };
  }

  /** The window rows of selected events (as add() takes them), without adding anything: a streamed toy's second pass. */
  windowOf(events: EventTable): EventTable {
    return windowTable(events);
  }

  /** The study bins of rows (as add() assigns them). */
  assign(window: EventTable): BinAssignment {
    return assignBins(window, this.binning);
  }

  record(label: string, estimators: Record<string, EstimatorRecord>): PointRecord {
    const truth = this.truth.result();
    const flipped = this.flipped.result();
    const profiles: NonNullable<PointRecord['profiles']> = {};
    PROFILE_VARIABLES.forEach((v, j) => {
      const t = this.profiles[j]!.result();
      profiles[v] = { edges: [...PROFILE_EDGES[v]], truth: t.mean.map(sig6), count: t.count };
    });
    return {
      label,
      events: this.events,
      window: this.window,
      windowSC: this.windowSC,
      truth: truth.mean.map(jsonNumber),
      count: truth.count,
      flips: flipped.mean.map((f, k) => (flipped.count[k]! > 0 ? Math.round(f * flipped.count[k]!) : 0)),
      scanObs: Array.from(this.scanObs),
      profiles,
      mass: this.mass.result(),
      estimators,
    };
  }
}
