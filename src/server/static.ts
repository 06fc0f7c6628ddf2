/**
 * The web dashboard's files (`share/web/`), served as shipped: no build step, no CDN. Read once
 * at start, so a request never touches the disk and no path from a URL ever reaches it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `share/web/` of this package: two levels up from both `src/server/` and `dist/server/`. */
export const WEB_DIR = fileURLToPath(new URL('../../share/web/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
};

export interface StaticFile {
  body: Buffer;
  type: string;
}

/** Every file under `dir`, by URL path (`/app.js`); `/` is `index.html`. */
export function loadStatic(dir: string = WEB_DIR): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (folder: string, prefix: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path, `${prefix}${name}/`);
      else {
        const type = TYPES[extname(name)];
        if (type !== undefined) files.set(`${prefix}${name}`, { body: readFileSync(path), type });
      }
    }
  };
  walk(dir, '/');
  const index = files.get('/index.html');
  if (index !== undefined) files.set('/', index);
  return files;
}
