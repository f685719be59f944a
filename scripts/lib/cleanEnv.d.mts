export function cleanNpmEnv(env?: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; removed: string[] };
