/**
 * The three reply shapes of the streaming cost curve (markdownCurve.bench.ts), each as long as
 * asked: (a) a technical README with a footnote-style definition near the start, (b) runs of
 * single-line paragraphs and headings, (c) logs and configs in code blocks full of lines that
 * look like reference definitions ("[INFO]: …", "[tool.x]: y").
 */
export type Shape = 'readme' | 'single-line' | 'reference-like in code';

const README = [
  '## Installing\n\nRun the installer, then check the version. See the [release notes][1] and [the docs](https://docs.example/start) before upgrading from **1.x**; the `--force` flag is rarely needed.\n\n',
  '- download the archive for your platform\n- verify its checksum with `sha256sum`\n- unpack it somewhere on your `PATH`\n\n',
  '```bash\ncurl -LO https://example.com/tool.tgz\ntar xzf tool.tgz && ./tool --version\n```\n\n',
  '| option | default | meaning |\n|---|---|---|\n| `--jobs` | 4 | parallel workers |\n| `--cache` | on | reuse results |\n\n',
  'Configuration lives in `tool.toml`. Each *section* is optional; unknown keys are rejected so typos fail early rather than silently.\nA second line of the same paragraph keeps it realistic.\n\n',
  '> **Note:** the cache is safe to delete at any time.\n\n',
  '1. Build with `make`\n2. Run the tests with `make check`\n3. Open an issue at https://example.com/issues if anything fails\n\n',
];

const SINGLE = [
  (i: number) => `### Step ${i}\n\n`,
  (i: number) => `Paragraph ${i} is a single line with **some** emphasis and a \`code\` span.\n\n`,
  (i: number) => `Another one-line paragraph, number ${i}, ends here.\n\n`,
];

const CODE = [
  (i: number) => `Run ${i} printed:\n\n`,
  (i: number) => `\`\`\`log\n[INFO]: worker ${i} started\n[WARN]: cache miss for key ${i}\n[1]: https://example.com/trace/${i}\n[INFO]: done in ${i % 97} ms\n\`\`\`\n\n`,
  (i: number) => `\`\`\`toml\n[tool.x]: y\n[section.${i}]: value\nname = "job-${i}"\n\`\`\`\n\n`,
];

export function shapeText(shape: Shape, chars: number): string {
  let text = shape === 'readme' ? '[1]: https://example.com/releases "Release notes"\n\n# Tool\n\n' : '';
  for (let i = 0; text.length < chars; i++) {
    if (shape === 'readme') text += README[i % README.length]!;
    else if (shape === 'single-line') text += SINGLE[i % SINGLE.length]!(i);
    else text += CODE[i % CODE.length]!(i);
  }
  return text.slice(0, chars);
}

/** Realistic markdown: prose, lists, code and a table, repeated to `bytes`. */
export function hugeReply(bytes: number): string {
  const parts = [
    'Streaming parsers keep a small amount of state between chunks: the unfinished tail, the current event, and the **decoder** that may hold half a UTF-8 sequence.\n\n',
    '- decode with `TextDecoder` in streaming mode\n- split on blank lines, keep the tail\n- normalise CRLF before splitting\n\n',
    '```ts\nfor await (const chunk of body) {\n  tail += decoder.decode(chunk, { stream: true });\n  const parts = tail.split("\\n\\n");\n  tail = parts.pop() ?? "";\n}\n```\n\n',
    '| field | meaning |\n|---|---|\n| data | payload |\n| id | last event id |\n\n',
  ];
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const part = `${i % 40 === 0 ? `## Section ${i / 40}\n\n` : ''}${parts[i % parts.length]!}`;
    out.push(part);
    size += part.length;
  }
  return out.join('') + 'THE END OF THE REPLY\n';
}
