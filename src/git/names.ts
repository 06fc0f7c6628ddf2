export const CHECKPOINT_PREFIX = 'checkpoint-';
export const TAG_NAMESPACE = 'refs/tags/';
export const HANDLE_NAMESPACE = 'refs/choiros/pre-rollback/';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * `checkpoint-YYYYMMDD-HHMMSS` in local time — the same name `date +%Y%m%d-%H%M%S` gives the
 * shell scripts people already use. Order comes from the tag date, never from the name.
 */
export function checkpointName(date: Date): string {
  const day = `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}`;
  const time = `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
  return `${CHECKPOINT_PREFIX}${day}-${time}`;
}

/** Two checkpoints in the same second: `…-120000`, then `…-120000-2`, `…-120000-3`. */
export function candidateName(base: string, attempt: number): string {
  return attempt <= 1 ? base : `${base}-${attempt}`;
}

export function firstFreeName(base: string, taken: ReadonlySet<string>): string {
  for (let attempt = 1; ; attempt++) {
    const name = candidateName(base, attempt);
    if (!taken.has(name)) return name;
  }
}

export function tagRef(name: string): string {
  return `${TAG_NAMESPACE}${name}`;
}

export function handleRef(number: number): string {
  return `${HANDLE_NAMESPACE}${number}`;
}

/** `refs/choiros/pre-rollback/7` → 7; anything else → undefined. */
export function handleNumber(ref: string): number | undefined {
  if (!ref.startsWith(HANDLE_NAMESPACE)) return undefined;
  const tail = ref.slice(HANDLE_NAMESPACE.length);
  return /^[1-9]\d*$/.test(tail) ? Number(tail) : undefined;
}

/** How a handle is shown and accepted on the command line: `pre-rollback/7`. */
export function handleName(ref: string): string {
  return ref.startsWith('refs/choiros/') ? ref.slice('refs/choiros/'.length) : ref;
}

/** Git's `<unix seconds> <±hhmm>` date for the local time zone at `date`. */
export function gitDate(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${Math.floor(date.getTime() / 1000)} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}
