import { userInfo } from 'node:os';

/**
 * Who is at the keyboard, for `--by` defaults: $USER, else $LOGNAME (cron sets only that), else
 * the account's name (containers often set neither). Null when none can be told.
 */
export function userName(env: NodeJS.ProcessEnv, account: () => string = () => userInfo().username): string | null {
  const named = env.USER || env.LOGNAME;
  if (named) return named;
  try {
    return account() || null;
  } catch {
    // userInfo() throws for a uid with no passwd entry (a container run as an arbitrary uid).
    return null;
  }
}
