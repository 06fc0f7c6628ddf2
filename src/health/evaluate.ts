/**
 * The health score of a project folder — the work tree, or a checkpoint's tree exported to a
 * temporary folder — from the five probes.
 */
import { checkSource } from '../prose/index.js';
import { configAndPrograms, criticalFiles, dataIntegrity, dependencies, publicAssets } from './probes.js';
import { healthScore, type HealthReport } from './score.js';

export interface TreeFacts {
  root: string;
  /** choiros.yaml (or `--config`), when the folder has one. */
  configFile: string | undefined;
  /** The config loader's verdict: undefined when it is valid. */
  configProblem: string | undefined;
  /** Files git tracks there (relative paths); undefined outside a repository. */
  tracked: string[] | undefined;
  /** The ledger's own check: undefined when sound, null when there is no ledger. */
  ledgerProblem: string | undefined | null;
}

/** The same verdict as `prose check`: a program with any error counts against the score. */
function checkProgram(path: string, text: string): string[] {
  return checkSource(text, path)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${path}:${d.line}:${d.column}: ${d.code} ${d.message}`);
}

export function scoreTree(facts: TreeFacts): HealthReport {
  const { root, tracked } = facts;
  return healthScore({
    critical_files: criticalFiles(root, tracked, facts.configFile),
    config: configAndPrograms(root, facts.configProblem, tracked, checkProgram),
    data: dataIntegrity(root, tracked, facts.ledgerProblem),
    assets: publicAssets(root),
    dependencies: dependencies(root),
  });
}
