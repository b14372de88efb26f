/** The event selection: acceptance, pT thresholds, mass window and sidebands, region codes, sideband weight. */
export * from './selection.js';
