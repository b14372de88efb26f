/**
 * Learning-rate schedules, evaluated per epoch: constant, cosine decay to `floor`·lr0 over the planned
 * epochs, or step decay (× gamma every `every` epochs).
 */
export type ScheduleName = 'constant' | 'cosine' | 'step';

export interface Schedule {
  kind: ScheduleName;
  /** cosine: final lr as a fraction of the initial one. */
  floor: number;
  /** step: decay interval in epochs and factor. */
  every: number;
  gamma: number;
}

export function learningRate(s: Schedule, lr0: number, epoch: number, epochs: number): number {
  switch (s.kind) {
    case 'constant':
      return lr0;
    case 'cosine': {
      const t = epochs <= 1 ? 0 : Math.min(epoch / (epochs - 1), 1);
      return lr0 * (s.floor + (1 - s.floor) * 0.5 * (1 + Math.cos(Math.PI * t)));
    }
    case 'step':
      return lr0 * s.gamma ** Math.floor(epoch / s.every);
  }
}
