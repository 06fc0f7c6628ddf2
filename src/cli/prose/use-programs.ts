import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stateDir } from '../../config/paths.js';

/** Where installed programs live: the project root (its `.choiros/programs/`) and `$CHOIROS_HOME`. */
export interface ProgramPlaces {
  root: string;
  home: string;
}

/** What the path of a `use` leads to; `prose run` refuses all but a file, `prose check` only a missing local one. */
export type UseTarget = { kind: 'file'; file: string } | { kind: 'no-file' } | { kind: 'network' } | { kind: 'not-installed'; candidates: string[] };

/** Where `use "owner/name"` is looked for: the project's `.choiros/programs/`, then `$CHOIROS_HOME/programs/`. */
export function registryPaths(places: ProgramPlaces, path: string): string[] {
  const file = path.replace(/^@/, '').replace(/\.prose$/, '') + '.prose';
  return [join(stateDir(places.root), 'programs', file), join(places.home, 'programs', file)];
}

/** Resolves the path of a `use` in the program `from`: a local path (`./x`, `../x`, `/x`, `.prose` optional), a URL, or an installed `owner/name`. */
export function resolveUse(places: ProgramPlaces, from: string, path: string): UseTarget {
  if (/^https?:\/\//.test(path)) return { kind: 'network' };
  if (/^(\.{1,2})?\//.test(path)) {
    const file = resolve(dirname(from), path);
    if (existsSync(file)) return { kind: 'file', file };
    if (existsSync(`${file}.prose`)) return { kind: 'file', file: `${file}.prose` };
    return { kind: 'no-file' };
  }
  const candidates = registryPaths(places, path);
  const found = candidates.find((c) => existsSync(c));
  return found === undefined ? { kind: 'not-installed', candidates } : { kind: 'file', file: found };
}
