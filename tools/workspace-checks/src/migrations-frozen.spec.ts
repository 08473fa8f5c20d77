import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { fromRoot, WORKSPACE_ROOT } from './workspace-root';

/** Every migration file of the services and libs. */
function migrationFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      if (entry === 'node_modules' || entry === 'dist') continue;
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (path.basename(dir) === 'migrations' && /^\d{13}-[a-z0-9-]+\.ts$/.test(entry)) found.push(full);
    }
  };
  for (const root of ['services', 'libs']) walk(fromRoot(root));
  return found.sort();
}

/** What a file imports that is not a type from typeorm: `<module>` or `<module> (value)`. */
function forbiddenImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const problems: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const module = statement.moduleSpecifier.text;
      const bindings = statement.importClause?.namedBindings;
      const typesOnly =
        statement.importClause?.isTypeOnly === true ||
        (statement.importClause?.name === undefined &&
          bindings !== undefined &&
          ts.isNamedImports(bindings) &&
          bindings.elements.every((element) => element.isTypeOnly));
      if (module !== 'typeorm') problems.push(module);
      else if (!typesOnly) problems.push(`${module} (value)`);
    } else if (ts.isImportEqualsDeclaration(statement) || ts.isExportDeclaration(statement)) {
      problems.push(statement.getText(source));
    }
  }
  return problems;
}

describe('migrations are frozen', () => {
  const files = migrationFiles();

  it('finds the migrations of every service and lib', () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
  });

  it('import nothing but typeorm types: live code (enums, constants) would change an old migration', () => {
    const offending = files.flatMap((file) =>
      forbiddenImports(file).map((module) => `${path.relative(WORKSPACE_ROOT, file)}: ${module}`),
    );
    expect(offending).toEqual([]);
  });

  it('each have their own timestamp, so their order is defined wherever two services share a database', () => {
    const stamps = files.map((file) => path.basename(file).slice(0, 13));
    expect(stamps.filter((stamp, index) => stamps.indexOf(stamp) !== index)).toEqual([]);
  });
});
