import { read, testReport, unreadable, type FailedTest, type Parsed, type TestReport } from './report.js';
import { findLocation, matchesHint, positiveInt, shortMessage } from './text.js';
import { childrenNamed, parseXml, type XmlElement } from './xml.js';

/**
 * JUnit XML, as vitest, jest-junit, pytest, Surefire, Gradle and go-junit-report write it:
 * `<testsuites>` or a lone `<testsuite>` at the root, suites nested to any depth, one
 * `<testcase>` per test with a `<failure>` (an assertion), an `<error>` (the test could not run)
 * or a `<skipped>` child. Counts come from the test cases, not from the suites' `tests=` and
 * `failures=` attributes, which writers get wrong and which cannot be checked.
 */
export function parseJunit(xml: string): Parsed<TestReport> {
  const doc = parseXml(xml);
  if (doc.kind === 'error') return unreadable(`not valid XML (line ${doc.line}: ${doc.message})`);
  const { root } = doc;
  if (root.name !== 'testsuites' && root.name !== 'testsuite') return unreadable(`expected <testsuites> or <testsuite> at the root, found <${root.name}>`);
  let passed = 0;
  let skipped = 0;
  const failures: FailedTest[] = [];
  for (const testcase of testCases(root)) {
    const problem = childrenNamed(testcase, 'failure')[0] ?? childrenNamed(testcase, 'error')[0];
    if (problem !== undefined) failures.push(failedTest(testcase, problem));
    else if (childrenNamed(testcase, 'skipped').length > 0) skipped++;
    else passed++;
  }
  return read(testReport('junit', { passed, skipped }, failures));
}

/** Every `<testcase>` under the root, in document order, whatever the suites' nesting. */
function testCases(root: XmlElement): XmlElement[] {
  const found: XmlElement[] = [];
  const stack = [root];
  for (let element = stack.pop(); element !== undefined; element = stack.pop()) {
    if (element.name === 'testcase') found.push(element);
    else if (element.name === 'testsuites' || element.name === 'testsuite') stack.push(...[...element.children].reverse());
  }
  return found;
}

function failedTest(testcase: XmlElement, problem: XmlElement): FailedTest {
  const attr = (el: XmlElement, key: string) => {
    const value = el.attributes.get(key)?.trim();
    return value === undefined || value === '' ? null : value;
  };
  const title = attr(testcase, 'name') ?? '(unnamed test)';
  const classname = attr(testcase, 'classname');
  // vitest and jest-junit put the file in `classname`; Java writers put the class.
  const classIsFile = classname !== null && (classname.includes('/') || /\.[cm]?[jt]sx?$/.test(classname));
  const fileAttr = attr(testcase, 'file') ?? (classIsFile ? classname : null);
  const classStem = classname === null || classIsFile ? null : (classname.split('.').at(-1) ?? null);
  const location = findLocation(problem.text, [fileAttr, classStem]);
  const locationFits = location !== null && (fileAttr === null || matchesHint(location.file, fileAttr));
  const name = classname === null || classIsFile || title.startsWith(`${classname}.`) ? title : `${classname} > ${title}`;
  const message = attr(problem, 'message') ?? (problem.text.trim() === '' ? (attr(problem, 'type') ?? problem.name) : problem.text);
  return {
    name,
    file: fileAttr ?? location?.file ?? null,
    line: locationFits ? location.line : positiveInt(attr(testcase, 'line')),
    message: shortMessage(message),
    outcome: problem.name === 'error' ? 'errored' : 'failed',
  };
}
