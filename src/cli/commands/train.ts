import type { Command } from 'commander';

// Placeholder until the `train` command lands: registers nothing.
export function register(_program: Command): void {}
