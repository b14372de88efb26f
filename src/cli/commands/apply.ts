import type { Command } from 'commander';

// Placeholder until the `apply` command lands: registers nothing.
export function register(_program: Command): void {}
