import { percentOf, read, unreadable, type CoverageReport, type FileCoverage, type Parsed } from './report.js';
import { childrenNamed, parseXml, type XmlElement } from './xml.js';

/**
 * Cobertura XML (coverage.py, istanbul's `cobertura` reporter, cargo-tarpaulin, gcovr):
 * `<coverage line-rate lines-valid lines-covered>` with `<class filename>` elements holding
 * `<line number hits>`. The total comes from `lines-covered / lines-valid` when the writer gives
 * them (cobertura 0.4 and later), else from `line-rate`.
 */
export function parseCobertura(xml: string): Parsed<CoverageReport> {
  const doc = parseXml(xml);
  if (doc.kind === 'error') return unreadable(`not valid XML (line ${doc.line}: ${doc.message})`);
  const { root } = doc;
  if (root.name !== 'coverage') return unreadable(`expected <coverage> at the root, found <${root.name}>`);
  const valid = count(root, 'lines-valid');
  const covered = count(root, 'lines-covered');
  const rate = Number(root.attributes.get('line-rate'));
  const hasCounts = valid !== undefined && covered !== undefined && covered <= valid;
  if (!hasCounts && !(rate >= 0 && rate <= 1)) return unreadable('<coverage> has neither lines-valid/lines-covered nor a line-rate between 0 and 1');
  return read({
    format: 'cobertura',
    percent: hasCounts ? percentOf(covered, valid) : rate * 100,
    found: hasCounts ? valid : null,
    hit: hasCounts ? covered : null,
    files: fileCoverage(root),
  });
}

function count(element: XmlElement, key: string): number | undefined {
  const n = Number(element.attributes.get(key) ?? Number.NaN);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** Classes grouped by file (a file with several classes is listed once), lines counted once. */
function fileCoverage(root: XmlElement): FileCoverage[] {
  const byFile = new Map<string, Map<string, number>>();
  for (const pkg of childrenNamed(root, 'packages').flatMap((p) => childrenNamed(p, 'package'))) {
    for (const cls of childrenNamed(pkg, 'classes').flatMap((c) => childrenNamed(c, 'class'))) {
      const file = cls.attributes.get('filename');
      if (file === undefined) continue;
      const lines = byFile.get(file) ?? new Map<string, number>();
      byFile.set(file, lines);
      for (const line of childrenNamed(cls, 'lines').flatMap((l) => childrenNamed(l, 'line'))) {
        const number = line.attributes.get('number') ?? '';
        lines.set(number, Math.max(Number(line.attributes.get('hits')) || 0, lines.get(number) ?? 0));
      }
    }
  }
  return [...byFile].map(([file, lines]) => {
    const hit = [...lines.values()].filter((h) => h > 0).length;
    return { file, found: lines.size, hit, percent: percentOf(hit, lines.size) };
  });
}
