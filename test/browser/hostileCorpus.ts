/**
 * Replies written to break a markdown renderer: nesting of every container far past any real
 * use, long runs of each delimiter, inputs known to make marked's regular expressions slow
 * (e-mail autolinks, emphasis), and huge tables, lines and fences. Each is framed by ordinary
 * prose and ends with END_MARK, which must be visible once the reply is drawn.
 */
export const END_MARK = 'END-OF-REPLY';

export interface HostileCase {
  readonly name: string;
  readonly text: string;
}

const lines = (count: number, line: (i: number) => string): string => Array.from({ length: count }, (_, i) => line(i)).join('\n');

const BODIES: Record<string, () => string> = {
  'blockquote >×2000 on one line': () => `${'>'.repeat(2000)} a`,
  'blockquote: 200 lines of >×10000': () => lines(200, () => '>'.repeat(10_000)),
  'blockquote: 1000 lines of >×60': () => lines(1000, (i) => `${'>'.repeat(60)} line ${i}`),
  'bullet list "- "×2000': () => `${'- '.repeat(2000)}a`,
  'ordered list "1. "×5000': () => `${'1. '.repeat(5000)}a`,
  'mixed containers "> - 1. "×1000': () => `${'> - 1. '.repeat(1000)}a`,
  'indented list 1,000 deep (1 MB)': () => lines(1000, (i) => `${' '.repeat(2 * i)}- item ${i}${' x'.repeat(i % 7)}`),
  'emphasis *×3000 a *×3000': () => `${'*'.repeat(3000)}a${'*'.repeat(3000)}`,
  'emphasis _×3000 a _×3000': () => `${'_'.repeat(3000)}a${'_'.repeat(3000)}`,
  'alternating **a_ ×5000': () => '**a_'.repeat(5000),
  'strikethrough ~×10000 a ~×10000': () => `${'~'.repeat(10_000)}a${'~'.repeat(10_000)}`,
  'backticks `×20000 a': () => `${'`'.repeat(20_000)}a`,
  'brackets [×20000 a ]×20000': () => `${'['.repeat(20_000)}a${']'.repeat(20_000)}`,
  'links "[a](" ×10000': () => '[a]('.repeat(10_000),
  'angle brackets <×50000': () => '<'.repeat(50_000),
  'e-mail autolink a×100000 @': () => `${'a'.repeat(100_000)}@`,
  'e-mail runs a×3000@ ×30': () => `${'a'.repeat(3000)}@ `.repeat(30),
  'table of 10,000 rows': () => `| id | name | value |\n|---|---|---|\n${lines(10_000, (i) => `| ${i} | row **${i}** | \`${i * 7}\` |`)}`,
  'one line of 1 MB': () => 'word '.repeat(200_000),
  'fenced code of 200 KB': () => `\`\`\`ts\n${lines(5000, (i) => `const value${i} = compute(${i}, "text ${i}"); // note ${i}`)}\n\`\`\``,
  'unclosed fence of 200 KB': () => `\`\`\`python\n${lines(5000, (i) => `print("line ${i}")  # [INFO]: ${i}`)}`,
  'definition-like lines 2,000': () => lines(2000, (i) => `[label${i}]: https://example.com/${i}`),
  'thematic breaks and headings ×5000': () => lines(5000, (i) => (i % 2 ? '***' : `# h${i}`)),
};

export function hostileCorpus(): HostileCase[] {
  return Object.entries(BODIES).map(([name, body]) => ({ name, text: `An ordinary first paragraph.\n\n${body()}\n\n${END_MARK}` }));
}

/** About `count` cut points through `length` characters (the way a stream would grow). */
export function evenCuts(length: number, count: number): number[] {
  const step = Math.max(1, Math.ceil(length / count));
  const cuts: number[] = [];
  for (let at = step; at < length; at += step) cuts.push(at);
  cuts.push(length);
  return cuts;
}
