import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { LocalStorage, localStorageRoot, type Storage } from "~/lib/storage.server";

/** Every file in the local storage folder, as key → bytes. */
export function storedFiles(): Map<string, Buffer> {
  const root = localStorageRoot();
  const found = new Map<string, Buffer>();
  const walk = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else found.set(path.relative(root, full), readFileSync(full));
    }
  };
  walk(root);
  return found;
}

/** The local storage the app uses, with some of its methods replaced: a flaky bucket, a counting reader. */
export function localStorageWith(overrides: Partial<Storage>): Storage {
  const real = new LocalStorage(localStorageRoot());
  return {
    put: (key, body, type) => real.put(key, body, type),
    get: (key) => real.get(key),
    delete: (key) => real.delete(key),
    url: (key) => real.url(key),
    ...overrides,
  };
}
