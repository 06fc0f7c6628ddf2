import { useEffect, useState } from 'react';

/** The time, refreshed every `intervalMs` while `active` (elapsed times of running steps); idle otherwise. */
export function useNow(intervalMs: number, active: boolean, now: () => number = Date.now): number {
  const [time, setTime] = useState(now);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setTime(now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, active, now]);
  return time;
}
