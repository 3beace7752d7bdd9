import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { localStorageRoot } from "~/lib/storage.server";

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
