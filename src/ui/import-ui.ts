/**
 * Imports an Ink screen with React's production build (the development build costs several
 * times the CPU per frame, which a live `--watch` view pays every second). NODE_ENV is set only
 * while the modules load, and only when the user has not set it, so child processes never see
 * a NODE_ENV they did not ask for.
 */
export async function importUi<T>(load: () => Promise<T>): Promise<T> {
  const previous = process.env.NODE_ENV;
  if (previous === undefined) process.env.NODE_ENV = 'production';
  try {
    return await load();
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
  }
}
