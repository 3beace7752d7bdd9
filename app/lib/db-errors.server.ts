/**
 * Both drivers report PostgreSQL's SQLSTATE as `code`; Drizzle wraps the
 * driver's error and keeps it as `cause`.
 */
function postgresError(error: unknown): { code?: string; constraint_name?: string; constraint?: string } | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const candidate = current as { code?: unknown; cause?: unknown };
    if (typeof candidate.code === "string" && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return candidate as { code: string };
    }
    current = candidate.cause;
  }
  return undefined;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pg = postgresError(error);
  if (pg?.code !== "23505") return false;
  if (!constraint) return true;
  const name = pg.constraint_name ?? pg.constraint;
  if (name) return name === constraint;
  // PGlite reports the constraint only inside its message.
  return String((pg as { message?: unknown }).message ?? "").includes(constraint);
}
