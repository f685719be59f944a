export function explainNpmFailure(text: string): { cause: string; lines: string[] };
