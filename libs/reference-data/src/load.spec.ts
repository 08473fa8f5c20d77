import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  REFERENCE_FILES,
  REFERENCE_FILE_KEYS,
  ReferenceDataError,
  bundledReferenceFiles,
  loadReferenceData,
} from './index';

describe('loading', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'reference-data-'));
    const files = bundledReferenceFiles();
    for (const key of REFERENCE_FILE_KEYS) {
      writeFileSync(join(dir, REFERENCE_FILES[key].file), JSON.stringify(files[key]));
    }
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads and validates a directory', () => {
    expect(loadReferenceData(dir).items().length).toBe(loadReferenceData().items().length);
  });

  it('reports unreadable and malformed files together', () => {
    rmSync(join(dir, 'items.json'));
    writeFileSync(join(dir, 'offices.json'), '{ not json');
    expect(() => loadReferenceData(dir)).toThrow(ReferenceDataError);
    try {
      loadReferenceData(dir);
    } catch (error) {
      expect((error as ReferenceDataError).problems.map((p) => `${p.file} ${p.rule}`)).toEqual([
        'offices.json invalid_json',
        'items.json unreadable_file',
      ]);
    }
  });

  it('reads the directory it is given (REFERENCE_DATA_DIR, through the runtime module), not the bundled files', () => {
    const files = bundledReferenceFiles() as { items: { version: string } };
    writeFileSync(join(dir, 'items.json'), JSON.stringify({ ...files.items, version: '2099.1.7' }));
    expect(loadReferenceData(dir).versions.items).toBe('2099.1.7');
  });

  it('hands out independent copies of the bundled files', () => {
    const a = bundledReferenceFiles() as { items: { items: unknown[] } };
    a.items.items.length = 0;
    expect(loadReferenceData().items().length).toBeGreaterThan(0);
  });
});
