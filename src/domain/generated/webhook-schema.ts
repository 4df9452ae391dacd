/* Generated from schemas/webhooks.json by `npm run schema:types`; do not edit. */

/**
 * A subscription: when the event in `hook` happens in the account (or, with include_subaccounts, below it), callhook sends the event data to `uri`.
 */
export interface WebhookSchema {
  /**
   * A friendly name for the webhook
   */
  name: string;
  /**
   * The receiver's http(s) URL
   */
  uri: string;
  /**
   * The event that triggers a request to `uri`; `all` for every event
   */
  hook:
    | 'all'
    | 'call.audio_available'
    | 'call.finished'
    | 'call.newcall'
    | 'channel_answer'
    | 'channel_bridge'
    | 'channel_create'
    | 'channel_destroy'
    | 'mms'
    | 'notifications'
    | 'object'
    | 'parking'
    | 'sms';
  /**
   * HTTP method used to contact the receiver
   */
  http_verb?: 'get' | 'post' | 'put';
  /**
   * Body format for post and put: form-data (URL-encoded) or json
   */
  format?: 'form-data' | 'json';
  /**
   * How many times to retry a failed delivery after the first attempt (at most 4, or the length of retry_schedule)
   */
  retries?: number;
  /**
   * Seconds to wait after each failed attempt (callhook extension); the last entry repeats. Defaults to CALLHOOK_RETRY_SCHEDULE
   *
   * @minItems 1
   * @maxItems 10
   */
  retry_schedule?: number[];
  /**
   * Is the webhook enabled and running
   */
  enabled?: boolean;
  /**
   * Whether to send events of call legs internal to the system (loopback legs)
   */
  include_internal_legs?: boolean;
  /**
   * Should the webhook be fired for sub-account events
   */
  include_subaccounts?: boolean;
  /**
   * Properties added to every payload, overwriting event keys of the same name
   */
  custom_data?: {
    [k: string]: string | undefined;
  };
  /**
   * Extra HTTP headers sent with every delivery and ping (Monster UI 5.4.2+): names are HTTP tokens, values printable ASCII; at most 20 headers and 8192 characters; Host, Content-Length, Content-Type, Transfer-Encoding, Connection, X-Hook-ID, X-Account-ID and the signature headers are refused
   */
  custom_request_headers?: {
    [k: string]: string | undefined;
  };
  /**
   * Monster UI's grouping label
   */
  group?: string;
  /**
   * Payload filters: for each key, the payload's value must be absent, equal to it, or one of the listed values
   */
  modifiers?: {
    [k: string]: unknown | undefined;
  };
  /**
   * Signing secret (callhook extension): whsec_ followed by the base64 of 24 to 64 random bytes. Write-only: reads show it masked
   */
  secret?: string;
}

/** Every property the schema names, in its order. */
export const webhookSchemaFields = [
  'name',
  'uri',
  'hook',
  'http_verb',
  'format',
  'retries',
  'retry_schedule',
  'enabled',
  'include_internal_legs',
  'include_subaccounts',
  'custom_data',
  'custom_request_headers',
  'group',
  'modifiers',
  'secret',
] as const;

/** The schema's `default` values. */
export const webhookSchemaDefaults = {
  http_verb: 'post',
  format: 'form-data',
  retries: 2,
  enabled: true,
  include_internal_legs: true,
} as const;
