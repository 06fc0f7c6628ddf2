/**
 * The weighted health score of the choreography design: critical files 30%, config and
 * program validity 25%, data integrity 20%, public assets 15%, dependencies 10%. Healthy at 80
 * and above, Warning from 60, Critical below. Pure.
 */

export const HEALTH_PARTS = [
  { name: 'critical_files', label: 'Critical files', weight: 30 },
  { name: 'config', label: 'Config and programs', weight: 25 },
  { name: 'data', label: 'Data integrity', weight: 20 },
  { name: 'assets', label: 'Public assets', weight: 15 },
  { name: 'dependencies', label: 'Dependencies', weight: 10 },
] as const;

export type HealthPartName = (typeof HEALTH_PARTS)[number]['name'];
export type HealthStatus = 'healthy' | 'warning' | 'critical';

export const HEALTHY_AT = 80;
export const WARNING_AT = 60;

/** One check's result: how much of it passed, and what did not. */
export interface CheckResult {
  /** Items that passed and items checked; nothing to check counts as whole. */
  passed: number;
  total: number;
  problems: string[];
  notes: string[];
}

export interface HealthPart extends CheckResult {
  name: HealthPartName;
  label: string;
  weight: number;
  /** 0..100. */
  score: number;
}

export interface HealthReport {
  /** 0..100, one decimal. */
  score: number;
  status: HealthStatus;
  parts: HealthPart[];
}

export function statusOf(score: number): HealthStatus {
  return score >= HEALTHY_AT ? 'healthy' : score >= WARNING_AT ? 'warning' : 'critical';
}

export function healthScore(results: Readonly<Record<HealthPartName, CheckResult>>): HealthReport {
  const parts = HEALTH_PARTS.map((p) => {
    const r = results[p.name];
    const score = r.total === 0 ? 100 : (100 * r.passed) / r.total;
    return { ...p, ...r, score: Math.round(score * 10) / 10 };
  });
  const score = Math.round(parts.reduce((sum, p) => sum + (p.score * p.weight) / 100, 0) * 10) / 10;
  return { score, status: statusOf(score), parts };
}

export function check(passed: number, total: number, problems: string[] = [], notes: string[] = []): CheckResult {
  return { passed, total, problems, notes };
}
