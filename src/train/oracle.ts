/**
 * The supervised oracle: the same network, features and model format, trained per electron on the truth
 * flip label (truth_flip1/2) with BCE on sigmoid(φ). It uses information no data analysis has, and so bounds
 * what any method can reach from these reco features. OC subsampling does not apply (no OC/SC imbalance per
 * electron) and is ignored.
 */
import type { EventTable } from '../events/columns.js';
import type { TrainConfigInput } from './config.js';
import type { PhiModel } from './model.js';
import { trainWithHead, type TrainRunOptions } from './trainModel.js';

export function trainOracle(table: EventTable, input: TrainConfigInput = {}, opts: TrainRunOptions = {}): Promise<PhiModel> {
  return trainWithHead(table, input, 'electron', opts);
}
