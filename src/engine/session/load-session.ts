import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Session } from '../../shared/domain/session';
import { describeIssues } from './describe-issues';
import { jsonProblem } from './json-problem';
import { defaultMigrationContext, migrateSession, type MigrationContext } from './migrate-session';
import type { PathGuard } from './path-guard';
import { sessionSchema } from './session-schema';
import { fsProblem, SessionError } from './session-error';
import { MAX_JSON_DEPTH, shortPath, tooDeepAt } from './json-depth';

export interface ParsedSession {
  session: Session;
  /** The file's version when it was older than the current one; saving writes the current version. */
  migratedFrom: number | null;
}

/** Parses and validates session text, migrating older versions. Throws only SessionError. */
export function parseSession(text: string, file: string, ctx: MigrationContext = defaultMigrationContext()): ParsedSession {
  let doc: unknown;
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    doc = JSON.parse(json);
  } catch (err) {
    throw new SessionError('malformed-json', file, jsonProblem(err, json));
  }
  const deep = tooDeepAt(doc);
  if (deep !== undefined) throw new SessionError('invalid', file, `is not a valid session: "${shortPath(deep)}" is nested more than ${MAX_JSON_DEPTH} levels deep`);
  const migrated = migrateSession(doc, ctx);
  if (!migrated.ok) throw new SessionError(migrated.reason, file, migrated.problem);
  const result = sessionSchema.safeParse(migrated.doc);
  if (!result.success) throw new SessionError('invalid', file, `is not a valid session: ${describeIssues(result.error)}`);
  const session: Session = result.data;
  return { session, migratedFrom: migrated.from === session.version ? null : migrated.from };
}

/**
 * Reads a session file. Recording paths stored relative (bundles) are made absolute against
 * the session's folder. This does not apply the recovery journal: see openSession.
 */
export async function loadSession(file: string, options: { guard: PathGuard }): Promise<ParsedSession> {
  const path = options.guard.check(file, 'the session file');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw fsProblem(err, path, 'reading the session');
  }
  const parsed = parseSession(text, path);
  const base = dirname(path);
  const recordings = parsed.session.recordings.map((r) => (isAbsolute(r.path) ? r : { ...r, path: resolve(base, r.path) }));
  return { ...parsed, session: { ...parsed.session, recordings } };
}
