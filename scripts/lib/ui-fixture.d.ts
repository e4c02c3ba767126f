export const HOSTILE: { name: string; hardware_model: string; notes: string };
export function startUiFixture(): Promise<{ home: string; url: string; stop(): Promise<void> }>;
