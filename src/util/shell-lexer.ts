/**
 * The simple commands of a shell script, each as its words with their places in the text — just
 * enough of the shell's grammar to see which program a word is given to: quotes, backslashes,
 * comments, the operators that end a command (`;`, `&`, `|`, newlines, parentheses), redirections,
 * and command substitutions (`$(…)`, backticks), whose commands are read as commands too.
 * Heredocs, `case` patterns and arithmetic are not understood; a word inside them may be read as
 * a command word, which only ever makes a caller more careful.
 */

/** A simple command: its words, where its pipeline starts, and whether it reads a heredoc. */
export interface ShellCommand {
  words: ShellWord[];
  /** Offset of the first command of its pipeline (its own start when nothing is piped into it). */
  pipelineStart: number;
  /** It has a `<<` redirection: the lines after it are its input, which this lexer does not read. */
  heredoc: boolean;
  /** Offset after its last word or redirection. */
  end: number;
}

export interface ShellWord {
  /** The word with its quotes removed; a command substitution in it reads as NUL. */
  text: string;
  /** Offsets of the word in the script, quotes included. */
  start: number;
  end: number;
}

const ENDS_COMMAND = new Set([';', '&', '|', '(', ')', '\n']);
const BREAKS_WORD = /[\s;&|()<>]/;
const REDIRECTION = /^(<<<|<<-|<<|>>|<&|>&|<>|>\||<|>)/;

class Lexer {
  pos = 0;
  readonly commands: ShellCommand[] = [];

  constructor(private readonly text: string) {}

  /** Commands up to `close` (the `)` of `$(`, the closing backtick) or the end of the text. */
  list(close: ')' | '`' | undefined): void {
    let words: ShellWord[] = [];
    let depth = 0;
    let heredoc = false;
    let start: number | undefined;
    let end = 0;
    let pipelineStart: number | undefined;
    const endCommand = (piped: boolean) => {
      if (start !== undefined && words.length > 0) this.commands.push({ words, pipelineStart: pipelineStart ?? start, heredoc, end });
      pipelineStart = piped ? (pipelineStart ?? start) : undefined;
      words = [];
      heredoc = false;
      start = undefined;
    };
    while (this.pos < this.text.length) {
      const char = this.text[this.pos] as string;
      const next = this.text[this.pos + 1];
      if (char === close && (close === '`' || depth === 0)) {
        this.pos++;
        break;
      }
      if (char === '(') depth++;
      if (char === ')') depth = Math.max(0, depth - 1);
      if (ENDS_COMMAND.has(char)) {
        if (char === '|' && next === '&') {
          endCommand(true);
          this.pos += 2;
        } else if ((char === '|' || char === '&') && next === char) {
          endCommand(false);
          this.pos += 2;
        } else {
          // A subshell's `(` right after a `|` is still that pipeline.
          if (char !== '(' || words.length > 0) endCommand(char === '|');
          this.pos++;
        }
      } else if (char === '<' || char === '>') {
        start ??= this.pos;
        // `>&`, `>|`, `<<<`: the operator's other characters are not a command end.
        const operator = REDIRECTION.exec(this.text.slice(this.pos, this.pos + 3))?.[0] ?? char;
        if (operator === '<<' || operator === '<<-') heredoc = true;
        this.pos += operator.length;
        while (/[ \t]/.test(this.text[this.pos] ?? '')) this.pos++;
        // The redirection's target is not an argument of the command (`sh <<EOF` still reads stdin).
        if (this.pos < this.text.length && !BREAKS_WORD.test(this.text[this.pos] as string)) this.word(close);
        end = this.pos;
      } else if (/\s/.test(char)) {
        this.pos++;
      } else if (char === '#') {
        const newline = this.text.indexOf('\n', this.pos);
        this.pos = newline < 0 ? this.text.length : newline;
      } else {
        start ??= this.pos;
        const word = this.word(close);
        // The 2 of `2>&1` names a file descriptor: it is not an argument.
        if (!/^\d+$/.test(word.text) || !/[<>]/.test(this.text[this.pos] ?? '')) words.push(word);
        end = this.pos;
      }
    }
    endCommand(false);
  }

  private word(close: ')' | '`' | undefined): ShellWord {
    const start = this.pos;
    let text = '';
    while (this.pos < this.text.length) {
      const char = this.text[this.pos] as string;
      if (BREAKS_WORD.test(char) || char === close) break;
      if (char === "'") {
        const end = this.text.indexOf("'", this.pos + 1);
        text += this.text.slice(this.pos + 1, end < 0 ? this.text.length : end);
        this.pos = end < 0 ? this.text.length : end + 1;
      } else if (char === '"') {
        this.pos++;
        text += this.doubleQuoted();
      } else {
        text += this.unquoted(char);
      }
    }
    return { text, start, end: Math.min(this.pos, this.text.length) };
  }

  /** One character as the word sees it: an escaped one, a substitution (`\0`: not known here), or itself. */
  private unquoted(char: string): string {
    if (char === '\\') {
      this.pos += 2;
      return this.text[this.pos - 1] ?? '';
    }
    if (this.substitution()) return '\0';
    this.pos++;
    return char;
  }

  private doubleQuoted(): string {
    let text = '';
    while (this.pos < this.text.length) {
      const char = this.text[this.pos] as string;
      if (char === '"') {
        this.pos++;
        break;
      }
      text += this.unquoted(char);
    }
    return text;
  }

  /** A `$(…)` or a backtick at the cursor: its commands are read, and true is returned. */
  private substitution(): boolean {
    if (this.text.startsWith('$(', this.pos)) {
      this.pos += 2;
      this.list(')');
      return true;
    }
    if (this.text[this.pos] === '`') {
      this.pos++;
      this.list('`');
      return true;
    }
    return false;
  }
}

/** The simple commands of `script`, command substitutions' commands included. */
export function shellCommands(script: string): ShellCommand[] {
  const lexer = new Lexer(script);
  lexer.list(undefined);
  return lexer.commands;
}
