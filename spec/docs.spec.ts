// The API documentation builds cleanly: the TypeDoc project of typedoc.json (the same as
// `npm run docs`, without writing the site) converts and validates with no warning and no
// error, and every public function and class carries an `@example`.
import { expect } from 'chai';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Application,
  Logger,
  LogLevel,
  PackageJsonReader,
  ReflectionKind,
  TSConfigReader,
  TypeDocReader,
  type Comment,
  type DeclarationReflection,
  type ProjectReflection,
} from 'typedoc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Keeps every warning and error instead of printing it. */
class CollectingLogger extends Logger {
  readonly messages: string[] = [];
  override log(message: string, level: Exclude<LogLevel, LogLevel.None>): void {
    super.log(message, level);
    if (level >= LogLevel.Warn) this.messages.push(`[${LogLevel[level]}] ${message}`);
  }
}

const hasExample = (c: Comment | undefined): boolean => c?.blockTags.some((t) => t.tag === '@example') ?? false;

describe('docs: TypeDoc (typedoc.json, as npm run docs)', function () {
  // about 25 s on 2 cores: a whole TypeScript program plus the documentation model
  this.timeout(120_000);

  let project: ProjectReflection | undefined;
  let logger: CollectingLogger;

  before(async () => {
    const cwd = process.cwd();
    process.chdir(root);
    try {
      logger = new CollectingLogger();
      const app = await Application.bootstrapWithPlugins({ emit: 'none' }, [new TypeDocReader(), new PackageJsonReader(), new TSConfigReader()]);
      const early = app.logger.hasErrors() || app.logger.hasWarnings();
      app.logger = logger;
      if (early) logger.messages.push('[Error] TypeDoc reported problems while reading its options (run npx typedoc)');
      project = await app.convert();
      if (project) app.validate(project);
    } finally {
      process.chdir(cwd);
    }
  });

  it('converts and validates with no warnings and no errors', () => {
    expect(project, 'conversion failed').to.not.equal(undefined);
    expect(logger.messages).to.deep.equal([]);
  });

  it('every public function and class has an @example', () => {
    const missing = new Set<string>();
    for (const r of project!.getReflectionsByKind(ReflectionKind.Function | ReflectionKind.Class) as DeclarationReflection[]) {
      const documented = r.kind === ReflectionKind.Class ? hasExample(r.comment) : (r.signatures ?? []).some((s) => hasExample(s.comment)) || hasExample(r.comment);
      if (!documented) missing.add(`${ReflectionKind[r.kind]} ${r.getFullName()}`);
    }
    expect([...missing].sort()).to.deep.equal([]);
  });
});
