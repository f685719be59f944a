export declare const FAKE_SERVER_ENTRY: string;
export declare function fakeServerAvailable(): boolean;
export declare function startFakeServer(opts?: {
  timeoutMs?: number;
  env?: Record<string, string>;
  onOutput?: (line: string) => void;
  args?: string[];
}): Promise<{ url: string; pid: number; stop: () => Promise<void> }>;
