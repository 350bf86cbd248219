/**
 * README.md's fenced code blocks, and the samples among them (TypeScript/JavaScript importing the
 * package): what spec/readme.spec.ts runs as copied and spec/package.spec.ts runs in an installed
 * project.
 */
/** A fenced code block of README.md. */
export interface ReadmeBlock {
  /** Language tag after the fence (`ts`, `sh`, …). */
  readonly lang: string;
  readonly code: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The `examples/<name>.ts` linked last before the block (in the same section), if any. */
  readonly example: string | undefined;
}

/** Every fenced block of a Markdown text, with the example file linked before it. */
export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const out: ReadmeBlock[] = [];
  let example: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (/^#{1,6} /.test(l)) example = undefined;
    const link = /\]\(examples\/([\w-]+)\.ts\)/.exec(l);
    if (link !== null) example = link[1];
    const fence = /^```(\w*)\s*$/.exec(l);
    if (fence === null) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    out.push({ lang: fence[1]!, code: `${body.join('\n')}\n`, line: start + 1, example });
    example = undefined;
  }
  return out;
}

/** Blocks that use the package: TypeScript/JavaScript importing `acsys-rx` or a subpath. */
export function isSample(b: ReadmeBlock): boolean {
  return /^(ts|typescript|js|mjs|javascript)$/.test(b.lang) && /from ['"]acsys-rx(\/[\w-]+)?['"]/.test(b.code);
}

/** The code of an example file: everything after its leading comment header and one blank line. */
export function exampleBody(text: string): string {
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length && lines[i]!.startsWith('//')) i++;
  if (lines[i] === '') i++;
  return lines.slice(i).join('\n');
}

