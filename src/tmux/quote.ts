/** POSIX shell single-quoting: the result is always one word, whatever `text` holds. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * tmux splits its argv into commands at any argument that *ends* with `;` (not only at a lone
 * `;`), so a trailing semicolon that belongs to an argument is written `\;`.
 */
export function tmuxArg(arg: string): string {
  return arg.endsWith(';') ? `${arg.slice(0, -1)}\\;` : arg;
}

/** tmux expands `#{…}` formats in some arguments (pipe-pane's command, -c paths): `#` → `##`. */
export function formatLiteral(text: string): string {
  return text.replaceAll('#', '##');
}
