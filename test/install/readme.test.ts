/**
 * The documentation's code is code: every TypeScript and JavaScript block of README.md and of the guides in docs/
 * (docs/*.md; not the generated docs/api) is type-checked (strict, NodeNext) against the built package, resolved
 * through its own `exports` as an app resolves it, so a block that uses a name before defining it, passes a wrong
 * option or imports a renamed export fails here.
 *
 * How a block is checked depends on the HTML comment on the line before it (invisible on GitHub):
 * - `<!-- example-app: <file> -->`: the block is the next part of examples/express-app/<file>. The parts of one file,
 *   in document order, must be that file exactly (blank lines aside), and the example app is type-checked whole: the
 *   install guide is one working app, the one the install test runs. Its JavaScript (`js/app.js`, beside each
 *   TypeScript part of `src/app.ts`) must be the TypeScript without its types, part by part: the same program once
 *   both are compiled to JavaScript and printed without comments; the install test runs it too.
 * - `<!-- not-checked: <reason> -->`: skipped (a reason is required).
 * - none: the block is checked on its own, as a module. It may use the names the install guide defines and the
 *   guides say so (README_CONTEXT below), nothing else.
 */
import { expect } from 'chai';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { buildPackage, EXAMPLE_APP, root, run, since } from './support.js';

export interface Block {
  /** The Markdown file, relative to the repository (`README.md`, `docs/install.md`). */
  file: string;
  /** 1-based line of the block's first code line in that file. */
  line: number;
  lang: string;
  code: string;
  marker: { kind: 'example-app'; file: string } | { kind: 'not-checked'; reason: string } | null;
}

const CHECKED_LANGS = new Set(['ts', 'typescript', 'js', 'javascript']);
const MARKER = /^<!--\s*(example-app|not-checked):\s*(.*?)\s*-->$/;

/** The fenced code blocks of a Markdown text, with the marker comment on the line before each (if any). */
export function extractBlocks(markdown: string, file = 'README.md'): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`${file}:${i + 1}: a code block that is never closed`);
    const before = lines.slice(0, i).reverse().find((l) => l.trim() !== '')?.trim() ?? '';
    const m = MARKER.exec(before);
    const marker = !m ? null
      : m[1] === 'example-app' ? { kind: 'example-app' as const, file: m[2]! }
      : { kind: 'not-checked' as const, reason: m[2]! };
    blocks.push({ file, line: i + 2, lang: open[1]!, code: lines.slice(i + 1, end).join('\n'), marker });
    i = end;
  }
  return blocks;
}

/**
 * What a block outside the install section may use without defining it: the install section's `sequelize`, `User`
 * and `singleSession`, and `req` inside a route. The README says so where its reference part begins.
 */
const README_CONTEXT = `import type { Request } from 'express';
import type { Sequelize } from 'sequelize';
import type { SingleSession } from 'adminjs-single-session';
import type { User as AppUser } from './app/models.js';

declare global {
  var sequelize: Sequelize;
  var User: typeof AppUser;
  var singleSession: SingleSession;
  var req: Request;
  var checkPassword: (email: unknown, password: unknown) => Promise<AppUser | null>;
}
`;
const CONTEXT_NAMES = ['sequelize', 'User', 'singleSession', 'checkPassword'];

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
  allowJs: true,
  checkJs: true,
  types: ['node'],
};

/** Lines without trailing spaces, blank lines dropped: what "the same code" means between README and file. */
const normalize = (text: string) => text.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');

const isCommonJs = (code: string) => /\bmodule\.exports\b|\brequire\(/.test(code) && !/^\s*import\s/m.test(code);

/** The Markdown files whose code is checked: the README and the guides (docs/*.md; docs/api is generated). */
const DOCS = ['README.md', ...readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/**
 * A program as JavaScript without comments, one statement line per line: TypeScript loses its types, JavaScript stays
 * as it is, so the TypeScript and its JavaScript twin give the same text. (`import x, {} from` is what an import of
 * type-only names leaves.)
 */
function withoutTypes(code: string): string[] {
  const { outputText } = ts.transpileModule(code, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true, removeComments: true },
  });
  return normalize(outputText.replace(/, \{\} from/g, ' from')).map((line) => line.trim());
}

/** The JavaScript twin of an example-app TypeScript file (`src/app.ts` → `js/app.js`), or null for other files. */
const twinOf = (file: string) => (/^src\/[^/]+\.ts$/.test(file) ? file.replace(/^src\/(.+)\.ts$/, 'js/$1.js') : null);

describe('README and guide code blocks', function () {
  this.timeout(300_000);
  const blocks = DOCS.flatMap((file) => extractBlocks(readFileSync(path.join(root, file), 'utf8'), file))
    .filter((b) => CHECKED_LANGS.has(b.lang) || b.marker?.kind === 'example-app');
  const where = (b: Block, offset = 0) => `${b.file}:${b.line + offset}`;
  // Inside the repository, so that `adminjs-single-session` resolves to this package (its `exports`, its dist/)
  // and every other import to the repository's node_modules. tmp/ is git-ignored.
  const checkDir = path.join(root, 'tmp', 'readme-check');
  const standalone = blocks.filter((b) => b.marker === null);
  const fileOf = (b: Block, i: number) => path.join(checkDir, 'blocks', `${path.basename(b.file, '.md')}-line-${b.line}-${i}.${isCommonJs(b.code) ? 'cjs' : b.lang.startsWith('j') ? 'mjs' : 'ts'}`);

  before(async function () {
    const t0 = performance.now();
    await buildPackage();
    rmSync(checkDir, { recursive: true, force: true });
    mkdirSync(path.join(checkDir, 'blocks'), { recursive: true });
    cpSync(path.join(EXAMPLE_APP, 'src'), path.join(checkDir, 'app'), { recursive: true });
    writeFileSync(path.join(checkDir, 'readme-context.d.ts'), README_CONTEXT);
    // `export {}`: each block is its own module, so its own declarations shadow the context's.
    standalone.forEach((b, i) => writeFileSync(fileOf(b, i), b.code + (isCommonJs(b.code) ? '\n' : '\nexport {};\n')));
    console.log(`      built the package and wrote ${standalone.length} standalone blocks in ${since(t0)}`);
  });

  it('every block is marked correctly (a not-checked block says why; example-app files exist)', () => {
    for (const b of blocks) {
      if (b.marker?.kind === 'not-checked') expect(b.marker.reason, where(b)).to.have.length.above(10);
      if (b.marker?.kind === 'example-app') expect(readdirSync(path.dirname(path.join(EXAMPLE_APP, b.marker.file))), where(b)).to.include(path.basename(b.marker.file));
    }
  });

  it('the install guide is examples/express-app, part by part, in order', () => {
    const files = new Map<string, Block[]>();
    for (const b of blocks) if (b.marker?.kind === 'example-app') files.set(b.marker.file, [...(files.get(b.marker.file) ?? []), b]);
    expect([...files.keys()], 'README parts naming an example-app file').to.include('src/app.ts');
    for (const [file, parts] of files) {
      const expected = normalize(readFileSync(path.join(EXAMPLE_APP, file), 'utf8'));
      const actual = parts.flatMap((b) => normalize(b.code));
      const at = actual.findIndex((line, i) => line !== expected[i]);
      const diff = at < 0 ? '' : ` (first difference at the docs' line ${JSON.stringify(actual[at])} vs the file's ${JSON.stringify(expected[at])})`;
      expect(actual, `parts of examples/express-app/${file} in ${[...new Set(parts.map((b) => b.file))].join(', ')}${diff}`).to.deep.equal(expected);
    }
    // The context the other blocks may use is what the install guide defines.
    const app = readFileSync(path.join(EXAMPLE_APP, 'src', 'app.ts'), 'utf8');
    for (const name of CONTEXT_NAMES) expect(app, name).to.match(new RegExp(`((const|function) ${name}\\b|import \\{[^}]*\\b${name}\\b[^}]*\\})`));
  });

  it('the JavaScript beside the TypeScript is the same program without its types, part by part and file by file', () => {
    const parts = blocks.filter((b) => b.marker?.kind === 'example-app');
    const ofFile = (file: string) => parts.filter((b) => b.marker?.kind === 'example-app' && b.marker.file === file);
    let pairs = 0;
    for (const file of new Set(parts.map((b) => (b.marker as { file: string }).file))) {
      const twin = twinOf(file);
      if (!twin) continue;
      const [typescript, javascript] = [ofFile(file), ofFile(twin)];
      expect(javascript.map((b) => where(b)), `a JavaScript part (example-app: ${twin}) beside each TypeScript part of ${file}`)
        .to.have.length(typescript.length);
      typescript.forEach((ts, i) => {
        expect(withoutTypes(javascript[i]!.code), `${where(javascript[i]!)} is ${where(ts)} without its types`).to.deep.equal(withoutTypes(ts.code));
        pairs++;
      });
    }
    expect(pairs, 'TypeScript parts with their JavaScript').to.be.above(0);
    // The whole files too (models.ts is not in the guide, but the JavaScript app imports it).
    for (const file of readdirSync(path.join(EXAMPLE_APP, 'src'))) {
      const twin = twinOf(`src/${file}`)!;
      const read = (f: string) => readFileSync(path.join(EXAMPLE_APP, f), 'utf8');
      expect(withoutTypes(read(twin)), `examples/express-app/${twin} is src/${file} without its types`).to.deep.equal(withoutTypes(read(`src/${file}`)));
    }
  });

  it('every block type-checks against the built package (strict, NodeNext)', function () {
    const t0 = performance.now();
    const appFiles = readdirSync(path.join(checkDir, 'app')).map((f) => path.join(checkDir, 'app', f));
    const blockFiles = standalone.map(fileOf);
    const program = ts.createProgram([path.join(checkDir, 'readme-context.d.ts'), ...appFiles, ...blockFiles], COMPILER_OPTIONS);
    const checked = new Set([...appFiles, ...blockFiles].map((f) => path.resolve(f)));
    const problems = ts.getPreEmitDiagnostics(program)
      .filter((d) => !d.file || checked.has(path.resolve(d.file.fileName)))
      .map((d) => {
        const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
        if (!d.file) return text;
        const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
        const i = blockFiles.indexOf(d.file.fileName);
        const at = i >= 0 ? where(standalone[i]!, line) : `examples/express-app/src/${path.basename(d.file.fileName)}:${line + 1}`;
        return `${at}: ${text}`;
      });
    console.log(`      type-checked ${standalone.length} blocks and the example app in ${since(t0)}`);
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });

  it('every CommonJS block runs (its require() resolves through the package\'s exports)', async () => {
    const cjs = blocks.filter((b) => b.marker?.kind !== 'not-checked' && isCommonJs(b.code));
    expect(cjs, 'CommonJS blocks (the migrations)').to.have.length.above(0);
    mkdirSync(path.join(checkDir, 'cjs'), { recursive: true });
    for (const b of cjs) {
      const file = path.join(checkDir, 'cjs', `${path.basename(b.file, '.md')}-line-${b.line}.cjs`);
      writeFileSync(file, `${b.code}\n`);
      const { code, stderr } = await run(process.execPath, ['-e', `const m = require(${JSON.stringify(file)}); if (!m || typeof m.up !== 'function') throw new Error('no up()');`], { cwd: checkDir, allowFailure: true });
      expect(code, `${where(b)}: ${stderr}`).to.equal(0);
    }
  });
});
