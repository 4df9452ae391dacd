/** The API's shapes the console reads (a subset of each). */
export interface HookSummary {
  id: string;
  name: string;
  hook: string;
  uri: string;
  enabled: boolean;
  disable_reason?: string;
}

export interface Hook extends HookSummary {
  http_verb?: string;
  format?: string;
  retries?: number;
  retry_schedule?: number[];
  custom_data?: Record<string, string>;
  include_subaccounts?: boolean;
  include_internal_legs?: boolean;
  secret?: string;
  [key: string]: unknown;
}

export interface Figures {
  succeeded: number;
  failed: number;
  total: number;
  success_rate: number | null;
  latency_ms: { p50: number | null; p90: number | null; p99: number | null };
  last_success_at: string | null;
  last_failure_at: string | null;
  pending_retries: number;
}

export interface HourPoint {
  hour: string;
  succeeded: number;
  failed: number;
  p50_ms: number | null;
  p99_ms: number | null;
}

export interface HookStats extends Figures {
  hook_id: string;
  from: string;
  to: string;
  hours: number;
  series: HourPoint[];
}

export interface AccountStats {
  hours: number;
  series: HourPoint[];
  hooks: Array<Figures & { hook_id: string; name: string; enabled: boolean; disable_reason?: string }>;
}

export interface Attempt {
  hook_id: string;
  hook_event: string;
  delivery_id?: string;
  event_id?: string;
  uri: string;
  method: string;
  req_headers?: Record<string, string>;
  req_body?: string;
  result: 'success' | 'failure';
  reason?: string;
  resp_status_code?: string;
  resp_headers?: Record<string, string>;
  resp_body?: string;
  client_error?: string;
  try?: number;
  retries_left?: number | string;
  duration_ms?: number;
  next_attempt_at?: string;
  timestamp: number;
}

export interface HookType {
  id: string;
  name: string;
  description?: string;
  modifiers?: Record<string, { type: 'array' | 'object'; description?: string; items: string[] | Record<string, unknown> }>;
}
