import type { ProjectFacts } from '../../src/config/defaults.js';

export function facts(scripts?: Record<string, string>, files: string[] = scripts === undefined ? [] : ['package.json'], editor?: string): ProjectFacts {
  return { scripts, files: new Set(files), editor };
}
