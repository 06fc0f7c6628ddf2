import { useEffect, useState } from 'react';

export interface Refreshed<T> {
  value: T | undefined;
  error: string | undefined;
  refreshedAt: number | undefined;
}

/**
 * Loads a value now and, when `intervalMs` is set, again after each load finishes (never two
 * loads at once, so a slow tmux cannot pile up queries).
 */
export function useRefresh<T>(load: () => Promise<T>, intervalMs: number | undefined, now: () => number = Date.now): Refreshed<T> {
  const [state, setState] = useState<Refreshed<T>>({ value: undefined, error: undefined, refreshedAt: undefined });
  useEffect(() => {
    let cancelled = false;
    let timer: NodeJS.Timeout | undefined;
    const tick = async () => {
      try {
        const value = await load();
        if (!cancelled) setState({ value, error: undefined, refreshedAt: now() });
      } catch (error) {
        if (!cancelled) setState((s) => ({ ...s, error: error instanceof Error ? error.message : String(error) }));
      }
      if (!cancelled && intervalMs !== undefined) timer = setTimeout(() => void tick(), intervalMs);
    };
    void tick();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [load, intervalMs, now]);
  return state;
}
