export const HOSTILE: { name: string; hardware_model: string; notes: string };
export const DEAD: { name: string; error: string };
export const HELD: { name: string; file: string };
export const RETIRED_RIG: string;
export function startUiFixture(): Promise<{ home: string; url: string; run(args: string[]): Promise<string>; stop(): Promise<void> }>;
