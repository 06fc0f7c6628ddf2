import { AbortError, CancelledError, ConfigError, ExitCode, ExternalError } from '../errors.js';
import type { Output } from './output.js';
import { wrap } from '../util/wrap.js';

const REPORT_URL = 'https://github.com/choiros/choiros/issues';

/**
 * Wraps each line of `text` at `width`: the first starts with `indent` and continues under
 * `hanging`; a later line keeps its own indentation (as the message was written) and continues
 * two spaces deeper. A long path or command stays whole on its line.
 */
function block(text: string, width: number, indent: string, hanging: string): string[] {
  return text.split('\n').flatMap((line, i) => {
    if (i === 0) return wrap(line, width, { indent, hanging });
    const lead = /^\s*/.exec(line)?.[0] ?? '';
    return wrap(line.slice(lead.length), width, { indent: lead, hanging: `${lead}  ` });
  });
}

/**
 * The one place where anything thrown becomes a message and an exit code: a fixable problem
 * prints its message and hint (1, or 2 for usage and config), a failed external command adds its
 * exit code and stderr tail, cancellation is silent (130), and anything else is a bug. Messages
 * wrap at the terminal's width (never in a pipe without COLUMNS).
 */
export function handleError(error: unknown, out: Output): number {
  const { style } = out;
  const say = (text: string, indent: string, hanging = indent) => {
    for (const line of block(text, out.wrapAt, indent, hanging)) out.note(line);
  };
  const headline = (message: string) => {
    const [first = '', ...rest] = block(`error: ${message}`, out.wrapAt, '', '  ');
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
