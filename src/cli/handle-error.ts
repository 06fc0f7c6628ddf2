import { AbortError, CancelledError, ConfigError, ExitCode, ExternalError } from '../errors.js';
import type { Output } from './output.js';
import { wrap } from '../util/wrap.js';

const REPORT_URL = 'https://github.com/choiros/choiros/issues';

/**
 * The one place where anything thrown becomes a message and an exit code: a fixable problem
 * prints its message and hint (1, or 2 for usage and config), a failed external command adds its
 * exit code and stderr tail, cancellation is silent (130), and anything else is a bug.
 */
export function handleError(error: unknown, out: Output): number {
  const { style } = out;
  // Messages and hints wrap to the terminal; a long path or command stays whole on its line.
  const say = (text: string, indent = '', hanging = indent) => {
    for (const line of wrap(text, out.wrapAt, { indent, hanging })) out.note(line);
  };
  const headline = (message: string) => {
    const [first = '', ...rest] = wrap(`error: ${message}`, out.wrapAt, { hanging: '  ' });
    out.note(`${style.red('error')}${first.slice('error'.length)}`);
    for (const line of rest) out.note(line);
  };
  if (error instanceof CancelledError) return ExitCode.cancelled;
  if (error instanceof ConfigError) {
    headline(`invalid ${error.file === undefined ? 'configuration' : 'config file'}`);
    for (const line of error.message.split('\n')) say(line, '  ', '    ');
    for (const line of wrap(error.hint ?? 'Nothing was started. Fix the keys above and run the command again.', out.wrapAt, { indent: '  ' })) out.note(style.dim(line));
    return error.exitCode;
  }
  if (error instanceof AbortError) {
    headline(error.message);
    if (error instanceof ExternalError) {
      const { failure } = error;
      out.note(style.dim(`  command: ${failure.command}`));
      const how = failure.signal === undefined ? `exit code ${String(failure.exitCode)}` : `signal ${failure.signal}`;
      out.note(style.dim(`  ${how}`));
      const tail = failure.stderr.trim();
      if (tail !== '') for (const line of tail.split('\n').slice(-10)) out.note(style.dim(`  | ${line}`));
    }
    if (error.hint !== undefined) say(error.hint, '  ');
    if (error.nextSteps.length > 0) {
      out.note('  Next steps:');
      for (const step of error.nextSteps) say(step, '    - ', '      ');
    }
    return error.exitCode;
  }
  const bug = error instanceof Error ? error : new Error(String(error));
  out.note(`${style.red('error')}: unexpected internal error — this is a bug in choiros.`);
  out.note(bug.stack ?? bug.message);
  out.note(`Please report it with the output above: ${REPORT_URL}`);
  return ExitCode.failure;
}
