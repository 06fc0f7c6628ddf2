/**
 * Imports an Ink screen with React's production build (the development build costs several
 * times the CPU per frame, which a live `--watch` view pays every second), and with colors as
 * the CLI decided them: chalk, under Ink, reads FORCE_COLOR once when it loads and knows nothing
 * of NO_COLOR. Both variables are changed only while the modules load and restored afterwards,
 * so child processes never see a value they did not ask for.
 */
export async function importUi<T>(load: () => Promise<T>, { color }: { color: boolean }): Promise<T> {
  const previous = { NODE_ENV: process.env.NODE_ENV, FORCE_COLOR: process.env.FORCE_COLOR };
  if (previous.NODE_ENV === undefined) process.env.NODE_ENV = 'production';
  if (!color) process.env.FORCE_COLOR = '0';
  try {
    return await load();
  } finally {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
