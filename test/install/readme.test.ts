/**
 * The README's code is code: every TypeScript and JavaScript block is type-checked (strict, NodeNext) against the
 * built package, resolved through its own `exports` as an app resolves it, so a block that uses a name before
 * defining it, passes a wrong option or imports a renamed export fails here.
 *
 * How a block is checked depends on the HTML comment on the line before it (invisible on GitHub):
 * - `<!-- example-app: <file> -->`: the block is the next part of examples/express-app/<file>. The parts of one file,
 *   in README order, must be that file exactly (blank lines aside), and the example app is type-checked whole: the
 *   install section is one working app, the one the install test runs.
 * - `<!-- not-checked: <reason> -->`: skipped (a reason is required).
 * - none: the block is checked on its own, as a module. It may use the names the install section defines and the
 *   README says so (README_CONTEXT below), nothing else.
 */
import { expect } from 'chai';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { buildPackage, EXAMPLE_APP, root, run, since } from './support.js';

export interface Block {
  /** 1-based line of the block's first code line in README.md. */
  line: number;
  lang: string;
  code: string;
  marker: { kind: 'example-app'; file: string } | { kind: 'not-checked'; reason: string } | null;
}

const CHECKED_LANGS = new Set(['ts', 'typescript', 'js', 'javascript']);
const MARKER = /^<!--\s*(example-app|not-checked):\s*(.*?)\s*-->$/;

/** The fenced code blocks of a Markdown text, with the marker comment on the line before each (if any). */
export function extractBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`README.md:${i + 1}: a code block that is never closed`);
    const before = lines.slice(0, i).reverse().find((l) => l.trim() !== '')?.trim() ?? '';
    const m = MARKER.exec(before);
    const marker = !m ? null
      : m[1] === 'example-app' ? { kind: 'example-app' as const, file: m[2]! }
      : { kind: 'not-checked' as const, reason: m[2]! };
    blocks.push({ line: i + 2, lang: open[1]!, code: lines.slice(i + 1, end).join('\n'), marker });
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
}
`;
const CONTEXT_NAMES = ['sequelize', 'User', 'singleSession'];

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

describe('README code blocks', function () {
  this.timeout(300_000);
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const blocks = extractBlocks(readme).filter((b) => CHECKED_LANGS.has(b.lang) || b.marker?.kind === 'example-app');
  // Inside the repository, so that `adminjs-single-session` resolves to this package (its `exports`, its dist/)
  // and every other import to the repository's node_modules. tmp/ is git-ignored.
  const checkDir = path.join(root, 'tmp', 'readme-check');
  const standalone = blocks.filter((b) => b.marker === null);
  const fileOf = (b: Block, i: number) => path.join(checkDir, 'blocks', `line-${b.line}-${i}.${isCommonJs(b.code) ? 'cjs' : b.lang.startsWith('j') ? 'mjs' : 'ts'}`);

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
      if (b.marker?.kind === 'not-checked') expect(b.marker.reason, `README.md:${b.line}`).to.have.length.above(10);
      if (b.marker?.kind === 'example-app') expect(readdirSync(path.dirname(path.join(EXAMPLE_APP, b.marker.file))), `README.md:${b.line}`).to.include(path.basename(b.marker.file));
    }
  });

  it('the install section is examples/express-app, part by part, in order', () => {
    const files = new Map<string, Block[]>();
    for (const b of blocks) if (b.marker?.kind === 'example-app') files.set(b.marker.file, [...(files.get(b.marker.file) ?? []), b]);
    expect([...files.keys()], 'README parts naming an example-app file').to.include('src/app.ts');
    for (const [file, parts] of files) {
      const expected = normalize(readFileSync(path.join(EXAMPLE_APP, file), 'utf8'));
      const actual = parts.flatMap((b) => normalize(b.code));
      const at = actual.findIndex((line, i) => line !== expected[i]);
      const where = at < 0 ? '' : ` (first difference at README part line ${JSON.stringify(actual[at])} vs file line ${JSON.stringify(expected[at])})`;
      expect(actual, `README parts of examples/express-app/${file}${where}`).to.deep.equal(expected);
    }
    // The context the other blocks may use is what the install section defines.
    const app = readFileSync(path.join(EXAMPLE_APP, 'src', 'app.ts'), 'utf8');
    for (const name of CONTEXT_NAMES) expect(app, name).to.match(new RegExp(`(const ${name}\\b|import \\{[^}]*\\b${name}\\b[^}]*\\})`));
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
        const where = i >= 0 ? `README.md:${standalone[i]!.line + line}` : `examples/express-app/src/${path.basename(d.file.fileName)}:${line + 1}`;
        return `${where}: ${text}`;
      });
    console.log(`      type-checked ${standalone.length} blocks and the example app in ${since(t0)}`);
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });

  it('every CommonJS block runs (its require() resolves through the package\'s exports)', async () => {
    const cjs = blocks.filter((b) => b.marker?.kind !== 'not-checked' && isCommonJs(b.code));
    expect(cjs, 'CommonJS blocks (the migrations)').to.have.length.above(0);
    mkdirSync(path.join(checkDir, 'cjs'), { recursive: true });
    for (const b of cjs) {
      const file = path.join(checkDir, 'cjs', `line-${b.line}.cjs`);
      writeFileSync(file, `${b.code}\n`);
      const { code, stderr } = await run(process.execPath, ['-e', `const m = require(${JSON.stringify(file)}); if (!m || typeof m.up !== 'function') throw new Error('no up()');`], { cwd: checkDir, allowFailure: true });
      expect(code, `README.md:${b.line}: ${stderr}`).to.equal(0);
    }
  });
});
