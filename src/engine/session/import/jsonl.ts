import type { z } from 'zod';
import { describeIssues } from '../describe-issues';
import { jsonProblem } from '../json-problem';
import { ImportError } from './import-error';
import { numberedLines } from './read-text';

/** Each non-blank line of a JSONL file parsed and validated, with its line number for errors. */
export function parseJsonlLines<S extends z.ZodType>(text: string, file: string, schema: S): { line: number; value: z.output<S> }[] {
  return numberedLines(text).map(({ line, text: json }) => {
    let doc: unknown;
    try {
      doc = JSON.parse(json);
    } catch (err) {
      throw new ImportError(file, jsonProblem(err, json), line);
    }
    const result = schema.safeParse(doc);
    if (!result.success) throw new ImportError(file, describeIssues(result.error), line);
    return { line, value: result.data };
  });
}
