/**
 * Realistic Kazoo 4.3 messages for the hook types other than channel events, modelled on their
 * publishers: callflow's cf_park (PARK_*), the data layer's kzs_publish (document changes on
 * `configuration`), kapi_notifications definitions (what teletype consumes), cf_webhook (the
 * callflow `webhook` action) and kapi_im (inbound SMS/MMS). Same illustrative account, realm and
 * call as call-event-examples.ts. Samples and test factories are built from these.
 */
import type { JsonObject } from './json.js';

const accountId = '7600efb3424dc4b79854521fd4563d0a';
const accountDb = 'account%2F76%2F00%2Fefb3424dc4b79854521fd4563d0a';
const callId = '5a1f7c3e-7d36-4f0e-b2a1-9c0d6e3f2a11';
const ownerId = '279ce6441f8a3a522c73797cbed221ed';
const deviceId = 'd1cfaa4a5a900e3611ad0905d317aa9c';
const realm = 'acme.sip.example.com';

/** kz_api:default_headers as a Kazoo app fills them in. */
function headers(appName: string, category: string, name: string, msgId: string, node = 'kazoo_apps@apps1.example.com'): JsonObject {
  return {
    'Server-ID': '',
    'App-Name': appName,
    'App-Version': '4.3.142',
    Node: node,
    'Event-Category': category,
    'Event-Name': name,
    'Msg-ID': msgId,
  };
}

export type ParkingEventName = 'PARK_PARKED' | 'PARK_RETRIEVED' | 'PARK_ABANDONED';

/** cf_park:publish_event: the parked call, its slot (a string), the CCVs with the realm. */
export function exampleParkingMessage(name: ParkingEventName = 'PARK_PARKED'): JsonObject {
  return {
    ...headers('callflow', 'call_event', name, 'b7d1f4e05c3a49e0a6f18d2c7e5b3a91'),
    'Call-ID': callId,
    'Callee-ID-Name': 'Parking Lot',
    'Callee-ID-Number': '*3101',
    'Caller-ID-Name': 'Alice Desk',
    'Caller-ID-Number': '1001',
    'Custom-Channel-Vars': {
      'Account-ID': accountId,
      'Authorizing-ID': deviceId,
      'Authorizing-Type': 'device',
      'Owner-ID': ownerId,
      Realm: realm,
    },
    'Parking-Slot': '101',
  };
}

export type DocAction = 'doc_created' | 'doc_edited' | 'doc_deleted';

/** kzs_publish: a user document saved in the account's database (no document in the message). */
export function exampleDocChangeMessage(action: DocAction = 'doc_created', type = 'user'): JsonObject {
  return {
    ...headers('datamgr', 'configuration', action, '0d2c6e1f9a8b47c5b3e2d1f0a9b8c7d6', 'kazoo_apps@db1.example.com'),
    ID: '3a54a6a1b0e74a5d8f2e9c4b1d7f6e20',
    Type: type,
    Database: accountDb,
    Rev: action === 'doc_created' ? '1-5d2e7f0a3c9b4e8d1f6a2b7c0e9d3f41' : '2-8b1c4f7e0d3a6c9f2e5b8a1d4c7f0e36',
    'Account-ID': accountId,
    'Date-Created': 63871234500,
    'Date-Modified': 63871234567,
    'Is-Soft-Deleted': action === 'doc_deleted',
    'Origin-Cache': 'kazoo_data_cache',
  };
}

/** The account document's own change, as it is saved in the `accounts` database. */
export function exampleAccountChangeMessage(id: string, action: DocAction = 'doc_edited'): JsonObject {
  return {
    ...exampleDocChangeMessage(action, 'account'),
    ID: id,
    Database: 'accounts',
    'Account-ID': id,
  };
}

/** A few notifications as their publishers send them (kapi_notifications definitions). */
export const exampleNotifications: Readonly<Record<string, () => JsonObject>> = {
  voicemail_new: () => ({
    ...headers('callflow', 'notification', 'voicemail_new', '6f1e2d3c4b5a69788796a5b4c3d2e1f0'),
    'Account-ID': accountId,
    'From-Realm': realm,
    'From-User': '1001',
    'To-Realm': realm,
    'To-User': '2000',
    'Voicemail-Box': '6b3b4f6e5a1d4c2b9e8f7a6d5c4b3a21',
    'Voicemail-ID': '202401-4d2c9a8e7f6b5a4c3d2e1f0a9b8c7d6e',
    'Voicemail-Timestamp': 63871234620,
    'Call-ID': callId,
    'Caller-ID-Name': 'Alice Desk',
    'Caller-ID-Number': '1001',
    'Voicemail-Length': 17,
  }),
  missed_call: () => ({
    ...headers('callflow', 'notification', 'missed_call', '9a8b7c6d5e4f30211203f4e5d6c7b8a9'),
    'Account-ID': accountId,
    'Call-ID': callId,
    'Call-Bridged': false,
    'Message-Left': false,
    'From-User': '1001',
    'From-Realm': realm,
    'To-User': '1002',
    'To-Realm': realm,
    'Caller-ID-Name': 'Alice Desk',
    'Caller-ID-Number': '1001',
    Timestamp: 63871234620,
  }),
  new_account: () => ({
    ...headers('crossbar', 'notification', 'new_account', '1b2c3d4e5f60718293a4b5c6d7e8f901'),
    'Account-ID': '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
    'Account-Name': 'Beta Clinic',
    'Account-Realm': 'beta.sip.example.com',
    'Account-DB': 'account%2F0a%2F1b%2F2c3d4e5f60718293a4b5c6d7e8f9',
  }),
  deregister: () => ({
    ...headers('registrar', 'notification', 'deregister', '5e4d3c2b1a0f9e8d7c6b5a4938271605', 'kazoo_apps@reg1.example.com'),
    'Account-ID': accountId,
    Username: 'user_k2j4h5',
    Realm: realm,
    'User-Agent': 'Yealink SIP-T46S 66.86.0.15',
    'Contact-IP': '203.0.113.10',
    'Contact-Port': 5060,
    'Event-Timestamp': 63871234700,
  }),
  low_balance: () => ({
    ...headers('ledgers', 'notification', 'low_balance', '7c6b5a49382716050f1e2d3c4b5a6978'),
    'Account-ID': accountId,
    'Current-Balance': 4.5,
  }),
  webhook_disabled: () => ({
    ...headers('webhooks', 'notification', 'webhook_disabled', '2d3c4b5a69788796a5b4c3d2e1f00f1e'),
    'Account-ID': accountId,
    'Hook-ID': '8e1f2a3b4c5d6e7f8091a2b3c4d5e6f7',
  }),
};

/** cf_webhook: the callflow's hook (kapps_call data, normalised) and what it is sent. */
export function exampleCallflowWebhookMessage(uri = 'https://crm.example.com/kazoo/callflow'): JsonObject {
  return {
    ...headers('callflow', 'notification', 'webhook', '3e2d1c0b9a8f7e6d5c4b3a2918070615'),
    Hook: {
      _id: '63871234567',
      uri,
      hook: 'notifications',
      http_verb: 'post',
      retries: 2,
      pvt_account_id: accountId,
      custom_data: { crm_queue: 'sales' },
    },
    Timestamp: 63871234567,
    Data: {
      account_db: accountDb,
      account_id: accountId,
      authorizing_id: deviceId,
      authorizing_type: 'device',
      call_direction: 'inbound',
      call_id: callId,
      callee_id_name: 'Bob Office',
      callee_id_number: '1002',
      caller_id_name: 'Alice Desk',
      caller_id_number: '1001',
      custom_application_vars: {},
      from: `1001@${realm}`,
      from_realm: realm,
      from_user: '1001',
      is_call_forward: false,
      is_recording: false,
      language: 'en-us',
      message_left: false,
      owner_id: ownerId,
      request: `1002@${realm}`,
      request_realm: realm,
      request_user: '1002',
      to: `1002@${realm}`,
      to_realm: realm,
      to_user: '1002',
    },
  };
}

/** kapi_im inbound offnet message (MMS ones are published gzip-encoded). */
export function exampleInboundImMessage(kind: 'sms' | 'mms' = 'sms'): JsonObject {
  return {
    ...headers('im', kind, 'inbound', '8f7e6d5c4b3a29180706f5e4d3c2b1a0', 'kazoo_apps@im1.example.com'),
    'Message-ID': kind === 'sms' ? 'SM5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e' : 'MM5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e',
    Body: kind === 'sms' ? 'Olá! Can you call me back about order 4711?' : 'Photo of the damaged parcel',
    From: '+5511987654321',
    To: '+14155550100',
    'Account-ID': accountId,
    'Route-Type': 'offnet',
    'Route-ID': 'carrier-1',
    'System-ID': 'kazoo_apps@im1.example.com',
    Charges: 0.0075,
    'Custom-Vars': { 'Carrier-Message-ID': 'c-9e8d7c' },
  };
}
