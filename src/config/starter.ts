import { defaultWindows, detectGates, detectTestCommand, type DetectedGate, type ProjectFacts } from './defaults.js';

/** A YAML scalar: plain when unambiguous, else double-quoted (JSON strings are valid YAML). */
export function yamlScalar(text: string): string {
  const plain = /^[A-Za-z0-9_./$][\w ./${}:=-]*$/.test(text) && !/: |\s#|:$/.test(text) && !/^(true|false|null|yes|no|on|off|~)$/i.test(text) && text.trim() === text;
  return plain ? text : JSON.stringify(text);
}

/**
 * The choiros.yaml that `choiros init` writes: the detected windows, with comments that show
 * the keys people reach for next (probes, dependencies, gates, agents).
 */
export function starterConfig(facts: ProjectFacts, session: string): string {
  const lines = [
    '# yaml-language-server: $schema=.choiros/choiros.schema.json',
    '# choiros.yaml — the dev session, agents and verification gates. `choiros config check` validates it.',
    `session: ${yamlScalar(session)}`,
    '',
    'windows:',
  ];
  for (const w of defaultWindows(facts)) {
    lines.push(`  - name: ${w.name}`);
    if (w.command !== undefined) lines.push(`    command: ${yamlScalar(w.command)}`);
    else lines.push(`    # command: ${w.name === 'editor' ? 'vim' : '…'}   # none: an interactive shell`);
    if (w.name === 'api') {
      lines.push('    # ready: { http: "http://127.0.0.1:8080/health", timeout: 60s }   # or tcp: 8080 / log: "listening" / exec: "…"');
    }
    if (w.name === 'ui') lines.push('    # depends_on: [api]');
    if (w.restart !== undefined && w.restart !== 'on-failure') lines.push(`    restart: ${w.restart}`);
    if (w.autostart === false) lines.push(`    autostart: false   # ${w.name === 'watcher' ? 'nothing to test yet: set watch.run, then' : 'run it with'} \`choiros restart ${w.name}\``);
    if (w.log === false) lines.push('    log: false');
    if (w.restart_on_rollback === true) lines.push('    restart_on_rollback: true');
  }
  const test = detectTestCommand(facts);
  // With no test command found the whole block stays a comment: an empty `watch:` is null, which
  // the schema refuses, and `choiros init` must never write a config its own check rejects.
  if (test === undefined) lines.push('', '# watch:', '#   run: npm test   # what the watcher window runs on every change');
  else lines.push('', 'watch:', `  run: ${yamlScalar(test)}`);
  lines.push('', '# agents:', '#   default: { command: ["claude", "-p", "{prompt}"], timeout: 30m, idle_timeout: 5m }', ...verifyLines(facts), 'checkpoints: { interval: 5m, keep: 50 }', '');
  return lines.join('\n');
}

/** `{ run: "npm test", lcov: coverage/lcov.info, min: 85 }`: run commands quoted, always (a flow mapping ends at `,` and `}`). */
function flowGate(gate: DetectedGate['gate']): string {
  return `{ ${Object.entries(gate)
    .map(([key, value]) => `${key}: ${key === 'run' ? JSON.stringify(value) : String(value)}`)
    .join(', ')} }`;
}

/** What a person might write for the gates not detected. */
function examples(facts: ProjectFacts): Record<DetectedGate['name'], string> {
  if (facts.files.has('Cargo.toml') && facts.scripts === undefined) {
    return {
      unit: 'unit: { run: "cargo test", cargo: true }',
      coverage: 'coverage: { run: "cargo llvm-cov --lcov --output-path lcov.info", lcov: lcov.info, min: 85 }',
      lint: 'lint: { run: "cargo clippy --message-format=json", clippy_json: true, max_warnings: 0 }',
    };
  }
  return {
    unit: 'unit: { run: "npm test" }',
    coverage: 'coverage: { run: "npm run coverage", lcov: coverage/lcov.info, min: 85 }   # or istanbul: / cobertura:',
    lint: 'lint: { run: "eslint -f json .", eslint_json: true, max_warnings: 0 }',
  };
}

/**
 * The gates detected from the project, and the others as comments. With none detected the
 * whole block stays a comment (an empty `verify:` is null, which the schema refuses): `prose
 * run` then says, before any agent runs, that a program that verifies needs gates.
 */
function verifyLines(facts: ProjectFacts): string[] {
  const detected = detectGates(facts);
  const written = examples(facts);
  const missing = (Object.keys(written) as Array<DetectedGate['name']>).filter((name) => !detected.some((g) => g.name === name)).map((name) => written[name]);
  if (detected.length === 0) return ['# verify:                         # the gates `verify` runs in .prose programs', ...missing.map((l) => `#   ${l}`)];
  return ['verify:                           # the gates `verify` runs in .prose programs (prose/agentic-build.prose)', ...detected.map((g) => `  ${g.name}: ${flowGate(g.gate)}`), ...missing.map((l) => `  # ${l}`)];
}
