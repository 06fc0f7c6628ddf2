/**
 * What the API accepts, as zod schemas, and their failures as one 400 that names the field:
 * `{"error": "status: expected one of queued, running, …"}`. Times are normalised to the
 * ledger's form (ISO-8601 UTC with milliseconds), which is what keeps keyset pages in order.
 */
import { z } from 'zod';
import { APPROVAL_STATES, TASK_STATUSES } from '../ledger/model.js';
import { HttpError } from './http.js';

const oneOf = (values: readonly string[]) => ({ error: () => `expected one of ${values.join(', ')}` });

export const statusSchema = z.enum(TASK_STATUSES, oneOf(TASK_STATUSES));
const approvalSchema = z.enum(APPROVAL_STATES, oneOf(APPROVAL_STATES));

const time = z
  .string({ error: 'expected an ISO-8601 time (2025-01-15T02:30:00Z)' })
  .refine((text) => /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) && !Number.isNaN(Date.parse(text)), 'expected an ISO-8601 time (2025-01-15T02:30:00Z)')
  .transform((text) => new Date(text).toISOString());

const text = (max: number) => z.string({ error: (issue) => (issue.input === undefined ? 'required' : 'expected a string') }).max(max, `expected at most ${max} characters`);
const name = (max: number) => text(max).min(1, 'expected a non-empty string');
const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();
const count = z.number({ error: 'expected a number' }).int('expected a whole number').min(0, 'expected a number ≥ 0');

/** Fields a PATCH may set next to (or without) a status; the seed API's names. */
const patchFields = {
  reason: nullable(text(500)).optional(),
  finished_at: nullable(time).optional(),
  duration_ms: nullable(count).optional(),
  outputs_uri: nullable(text(2048)).optional(),
  log_excerpt: nullable(text(64 * 1024)).optional(),
  approval_state: nullable(approvalSchema).optional(),
  approver: nullable(text(128)).optional(),
  feedback: nullable(text(8192)).optional(),
  webhook_notified_at: nullable(time).optional(),
};

export const createTaskSchema = z.strictObject({
  task: name(200),
  run_id: name(200),
  status: statusSchema.optional(),
  started_at: time.optional(),
  stage: nullable(text(200)).optional(),
  agent: nullable(text(200)).optional(),
  attempt: count.min(1, 'expected a number ≥ 1').optional(),
  inputs: z.unknown().optional(),
  ...patchFields,
});
export type CreateTaskBody = z.infer<typeof createTaskSchema>;

export const patchTaskSchema = z.strictObject({ status: statusSchema.optional(), ...patchFields }).refine((body) => Object.values(body).some((v) => v !== undefined), 'expected at least one field to change');
export type PatchTaskBody = z.infer<typeof patchTaskSchema>;

export const answerSchema = z.strictObject({
  task: z.number({ error: 'expected a task id' }).int('expected a task id').positive('expected a task id').optional(),
  by: nullable(text(128)).optional(),
  feedback: nullable(text(8192)).optional(),
  /** The gate option picked (`Modify`), as `choiros approve --option` takes it: one of the waiting gate's options. */
  option: nullable(name(200)).optional(),
});
export type AnswerBody = z.infer<typeof answerSchema>;

export const controlSchema = z.strictObject({ by: nullable(text(128)).optional() });

const limit = (max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, `expected a whole number from 1 to ${max}`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, `expected a whole number from 1 to ${max}`)
    .optional()
    .transform((n) => n ?? fallback);

export function taskQuerySchema(maxLimit: number, defaultLimit: number) {
  return z.strictObject({
    run_id: name(200).optional(),
    status: statusSchema.optional(),
    task: name(200).optional(),
    since: time.optional(),
    cursor: name(1024).optional(),
    limit: limit(maxLimit, defaultLimit),
  });
}

export const runsQuerySchema = z.strictObject({ cursor: name(1024).optional(), limit: limit(200, 50) });

export const eventsQuerySchema = z.strictObject({
  run_id: name(200).optional(),
  after: z.string().regex(/^\d+$/, 'expected a sequence number').transform(Number).optional(),
});

/** The first problem, as `field: message` (or the message alone for the whole body). */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid request';
  if (issue.code === 'unrecognized_keys') return `${[...issue.path, issue.keys[0] ?? ''].join('.')}: unknown field`;
  const path = issue.path.map(String).join('.');
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}

export function parse<T extends z.ZodType>(schema: T, value: unknown, what: 'body' | 'query'): z.infer<T> {
  if (what === 'body' && (value === null || typeof value !== 'object' || Array.isArray(value))) throw new HttpError(400, 'request body: expected a JSON object');
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpError(400, describeIssue(result.error));
  return result.data;
}

/** Query parameters as an object; a parameter given twice is refused (which one would win is a guess). */
export function queryObject(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of params) {
    if (key in out) throw new HttpError(400, `${key}: given more than once`);
    out[key] = value;
  }
  return out;
}
