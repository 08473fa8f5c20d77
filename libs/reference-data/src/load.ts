import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import calendarsJson from '../data/calendars.json';
import departmentsJson from '../data/departments.json';
import itemsJson from '../data/items.json';
import officesJson from '../data/offices.json';
import regionsJson from '../data/regions.json';
import { type ReferenceProblem, ReferenceDataError } from './problems';
import { type ReferenceData } from './reference-data';
import { type RawReferenceFiles, REFERENCE_FILES, REFERENCE_FILE_KEYS } from './schemas';
import { validateReferenceFiles } from './validate';

/**
 * The data files shipped with the lib, as fresh copies (safe to modify, e.g. to shorten a time
 * limit in a test). They are imported, not read from disk, so the compiler copies them next to
 * the compiled code (dist/libs/reference-data/data) and they travel with `dist` into images.
 */
export function bundledReferenceFiles(): RawReferenceFiles {
  return structuredClone({
    regions: regionsJson,
    offices: officesJson,
    departments: departmentsJson,
    items: itemsJson,
    calendars: calendarsJson,
  });
}

/** Validates raw files; throws a ReferenceDataError listing every problem. */
export function parseReferenceData(raw: RawReferenceFiles): ReferenceData {
  const { data, problems } = validateReferenceFiles(raw);
  if (!data) throw new ReferenceDataError(problems);
  return data;
}

/**
 * Reads and validates the five data files of `dir` (regions.json, offices.json,
 * departments.json, items.json, calendars.json), or the bundled ones when no dir is given.
 * Throws one ReferenceDataError listing every problem (file, path, reason).
 */
export function loadReferenceData(dir?: string): ReferenceData {
  if (dir === undefined) return parseReferenceData(bundledReferenceFiles());
  const problems: ReferenceProblem[] = [];
  const raw: Partial<RawReferenceFiles> = {};
  for (const key of REFERENCE_FILE_KEYS) {
    const file = REFERENCE_FILES[key].file;
    let text: string;
    try {
      text = readFileSync(join(dir, file), 'utf8');
    } catch (error) {
      problems.push({
        file,
        path: '',
        rule: 'unreadable_file',
        reason: `${join(dir, file)}: ${(error as Error).message}`,
      });
      continue;
    }
    try {
      raw[key] = JSON.parse(text) as unknown;
    } catch (error) {
      problems.push({ file, path: '', rule: 'invalid_json', reason: (error as Error).message });
    }
  }
  if (problems.length > 0) throw new ReferenceDataError(problems);
  return parseReferenceData(raw as RawReferenceFiles);
}
