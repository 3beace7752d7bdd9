/**
 * One instance per process, even when a module is loaded twice (Vite's dev
 * server re-evaluates modules on change; scripts and the server bundle can
 * both import the same file).
 */
export function singleton<T>(name: string, create: () => T): T {
  const store = globalThis as unknown as { __crowdthread?: Record<string, unknown> };
  store.__crowdthread ??= {};
  if (!(name in store.__crowdthread)) store.__crowdthread[name] = create();
  return store.__crowdthread[name] as T;
}

export function forgetSingleton(name: string) {
  const store = globalThis as unknown as { __crowdthread?: Record<string, unknown> };
  if (store.__crowdthread) delete store.__crowdthread[name];
}
