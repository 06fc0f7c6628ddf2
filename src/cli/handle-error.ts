import { AbortError, CancelledError, ConfigError, ExitCode, ExternalError } from '../errors.js';
import type { Output } from './output.js';

const REPORT_URL = 'https://github.com/choiros/choiros/issues';

/**
 * The one place where anything thrown becomes a message and an exit code: a fixable problem
 * prints its message and hint (1, or 2 for usage and config), a failed external command adds its
 * exit code and stderr tail, cancellation is silent (130), and anything else is a bug.
 */
export function handleError(error: unknown, out: Output): number {
  const { style } = out;
  if (error instanceof CancelledError) return ExitCode.cancelled;
  if (error instanceof ConfigError) {
    out.note(`${style.red('error')}: invalid ${error.file === undefined ? 'configuration' : 'config file'}`);
    for (const line of error.message.split('\n')) out.note(`  ${line}`);
    out.note(style.dim(`  ${error.hint ?? 'Nothing was started. Fix the keys above and run the command again.'}`));
    return error.exitCode;
  }
  if (error instanceof AbortError) {
    out.note(`${style.red('error')}: ${error.message}`);
    if (error instanceof ExternalError) {
      const { failure } = error;
      out.note(style.dim(`  command: ${failure.command}`));
      const how = failure.signal === undefined ? `exit code ${String(failure.exitCode)}` : `signal ${failure.signal}`;
      out.note(style.dim(`  ${how}`));
      const tail = failure.stderr.trim();
      if (tail !== '') for (const line of tail.split('\n').slice(-10)) out.note(style.dim(`  | ${line}`));
    }
    if (error.hint !== undefined) out.note(`  ${error.hint}`);
    if (error.nextSteps.length > 0) {
      out.note('  Next steps:');
      for (const step of error.nextSteps) out.note(`    - ${step}`);
    }
    return error.exitCode;
  }
  const bug = error instanceof Error ? error : new Error(String(error));
  out.note(`${style.red('error')}: unexpected internal error — this is a bug in choiros.`);
  out.note(bug.stack ?? bug.message);
  out.note(`Please report it with the output above: ${REPORT_URL}`);
  return ExitCode.failure;
}
