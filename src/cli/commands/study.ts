import type { Command } from 'commander';

// Placeholder until the `study` command lands: registers nothing.
export function register(_program: Command): void {}
