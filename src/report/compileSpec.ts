/**
 * Vega-Lite → Vega with every compiler warning collected instead of printed, so tests can require a
 * warning-free spec and the report can record any warning next to the plot it belongs to.
 */
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Spec as VegaSpec } from 'vega';

export interface CompiledSpec {
  vega: VegaSpec;
  warnings: string[];
}

export function compileSpec(spec: TopLevelSpec): CompiledSpec {
  const warnings: string[] = [];
  let level = 2;
  // vega-lite's LoggerInterface: level getter/setter plus one method per level, each chainable.
  const logger = {
    level(l?: number) {
      if (l == null) return level;
      level = l;
      return logger;
    },
    error(...args: readonly unknown[]) {
      warnings.push(`error: ${args.map(String).join(' ')}`);
      return logger;
    },
    warn(...args: readonly unknown[]) {
      warnings.push(args.map(String).join(' '));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  const out = compile(spec, { logger: logger as never });
  return { vega: out.spec, warnings };
}
