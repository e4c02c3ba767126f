/**
 * Fault injection for tests: make matching requests fail the way networks and S3 do.
 */
export type FaultAction =
  | { type: 'drop-after-bytes'; bytes: number }
  | { type: 'status'; status: number; code: string }
  | { type: 'delay'; ms: number };

export interface FaultRule {
  match: { method?: string; bucket?: string; keyPrefix?: string; partNumber?: number };
  action: FaultAction;
  /** How many requests it applies to (default: all). */
  times?: number;
}

export class FaultInjector {
  private rules: FaultRule[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ ...rule });
  }

  clear(): void {
    this.rules = [];
  }

  /** The action for this request, consuming one use of the rule. */
  take(req: { method: string; bucket: string; key: string; partNumber?: number }): FaultAction | undefined {
    const i = this.rules.findIndex(
      (r) =>
        (!r.match.method || r.match.method === req.method) &&
        (!r.match.bucket || r.match.bucket === req.bucket) &&
        (!r.match.keyPrefix || req.key.startsWith(r.match.keyPrefix)) &&
        (r.match.partNumber === undefined || r.match.partNumber === req.partNumber),
    );
    if (i < 0) return undefined;
    const rule = this.rules[i];
    if (rule.times !== undefined && --rule.times <= 0) this.rules.splice(i, 1);
    return rule.action;
  }
}
