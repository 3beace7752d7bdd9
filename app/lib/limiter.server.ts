/**
 * At most `limit` tasks at once; the rest wait their turn in arrival order.
 * Image processing goes through one of these so that a burst of uploads
 * cannot take all memory.
 */
export function createLimiter(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      active += 1;
      try {
        return await task();
      } finally {
        active -= 1;
        waiting.shift()?.();
      }
    },
    get pending() {
      return waiting.length;
    },
  };
}
