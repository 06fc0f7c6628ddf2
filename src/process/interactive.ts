import { spawn } from 'node:child_process';

/**
 * Hands the terminal to a child (tmux attach, an editor) and resolves with its exit code once it
 * returns. Ctrl-C belongs to the child meanwhile, so ours is ignored until then.
 */
export function runInteractive(file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const ignore = () => {};
    process.on('SIGINT', ignore);
    const child = spawn(file, args, { stdio: 'inherit', env });
    const done = (code: number) => {
      process.off('SIGINT', ignore);
      resolve(code);
    };
    child.on('error', () => done(127));
    child.on('close', (code, signal) => done(code ?? (signal === null ? 1 : 128)));
  });
}
