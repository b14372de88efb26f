/**
 * Build the truth ε(e) model a config names: analytic (default), binned map, analytic × damaged sector, or a
 * user function. A user function's value is checked on every call: anything outside [0, 1] (or NaN) is a
 * ConfigError naming `eps.fn` and the electron it was evaluated on.
 */
import { ConfigError } from '../../src/errors.js';
import type { EpsConfig } from '../../src/config/generatorConfig.js';
import { analyticEps, type EpsModel } from './analyticEps.js';
import { binnedEps } from './binnedEps.js';
import { sectorEps } from './sectorEps.js';

export type { EpsModel } from './analyticEps.js';

export function epsModel(cfg: EpsConfig): EpsModel {
  switch (cfg.model) {
    case 'analytic':
      return analyticEps(cfg);
    case 'binned':
      return binnedEps(cfg.absEtaEdges, cfg.ptEdges, cfg.values);
    case 'sector':
      return sectorEps(cfg.base, cfg.factor, cfg.phiRange);
    case 'function': {
      const fn = cfg.fn;
      return (pt, absEta, phi) => {
        const e = fn(pt, absEta, phi);
        if (!(e >= 0 && e <= 1))
          throw new ConfigError('eps.fn', e, `expected a probability in [0, 1] at pt=${pt}, |eta|=${absEta}, phi=${phi}`);
        return e;
      };
    }
  }
}
