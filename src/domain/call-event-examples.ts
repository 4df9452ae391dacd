/**
 * Realistic Kazoo 4.3 call-event messages (one A-leg from a registered device, answered, bridged
 * and hung up), modelled on ecallmgr's output: only headers `kapi_call` publishes, CCVs as strings,
 * Gregorian `Timestamp` (63871234567 = Unix 1704015367). Ids are illustrative, realms use
 * example.com. Samples and test factories are built from these, never from hand-written payloads.
 */
import type { CallEventName } from './call-event.js';
import type { JsonObject } from './json.js';

const callId = '5a1f7c3e-7d36-4f0e-b2a1-9c0d6e3f2a11';
const otherLegCallId = '0c9e2b6fb3f84c41a2f7a1b0d9e8c7f6';
const accountId = '7600efb3424dc4b79854521fd4563d0a';
const deviceId = 'd1cfaa4a5a900e3611ad0905d317aa9c';
const ownerId = '279ce6441f8a3a522c73797cbed221ed';
const realm = 'acme.sip.example.com';

const envelope = (name: string, msgId: string): JsonObject => ({
  'App-Name': 'ecallmgr',
  'App-Version': '4.0.0',
  'Event-Category': 'call_event',
  'Event-Name': name,
  'Msg-ID': msgId,
  Node: 'ecallmgr@apps1.example.com',
});

const switchHeaders: JsonObject = {
  'Switch-Hostname': 'fs1.example.com',
  'Switch-Nodename': 'freeswitch@fs1.example.com',
  'Switch-URI': 'sip:198.51.100.5:11000',
  'Switch-URL': 'sip:mod_sofia@198.51.100.5:11000',
};

const leg: JsonObject = {
  'Call-ID': callId,
  'Call-Direction': 'inbound',
  'Caller-ID-Name': 'Alice Desk',
  'Caller-ID-Number': '1001',
};

const callee: JsonObject = { 'Callee-ID-Name': 'Bob Office', 'Callee-ID-Number': '1002' };
const channel: JsonObject = { 'Channel-Created-Time': 1704015367100000, 'Channel-Name': `sofia/sipinterface_1/1001@${realm}` };

const messages: Readonly<Record<CallEventName, JsonObject>> = {
  CHANNEL_CREATE: {
    ...envelope('CHANNEL_CREATE', '1704015367104221'),
    ...leg,
    'Channel-Call-State': 'DOWN',
    'Channel-State': 'INIT',
    ...channel,
    'Custom-Application-Vars': {},
    'Custom-Channel-Vars': {
      'Account-ID': accountId,
      'Account-Name': 'Acme',
      'Account-Realm': realm,
      'Authorizing-ID': deviceId,
      'Authorizing-Type': 'device',
      'Owner-ID': ownerId,
      Realm: realm,
      Username: 'user_k2j4h5',
    },
    'Custom-SIP-Headers': { 'X-AUTH-IP': '203.0.113.10', 'X-AUTH-PORT': '5060' },
    Disposition: 'DELAYED NEGOTIATION',
    From: `1001@${realm}`,
    'From-Tag': 'l530ecbu2f',
    'From-Uri': `1001@${realm}`,
    'Media-Server': 'fs1.example.com',
    'Presence-ID': `1001@${realm}`,
    Request: `+14155550100@${realm}`,
    ...switchHeaders,
    Timestamp: 63871234567,
    To: `+14155550100@${realm}`,
    'To-Uri': `+14155550100@${realm}`,
  },
  CHANNEL_ANSWER: {
    ...envelope('CHANNEL_ANSWER', '1704015371552310'),
    ...leg,
    ...callee,
    'Channel-Call-State': 'ACTIVE',
    'Channel-State': 'EXECUTE',
    ...channel,
    'Custom-Application-Vars': {},
    'Custom-Channel-Vars': {
      'Account-ID': accountId,
      'Account-Name': 'Acme',
      'Account-Realm': realm,
      'Application-Name': 'callflow',
      'Application-Node': 'kazoo_apps@apps1.example.com',
      'Authorizing-ID': deviceId,
      'Authorizing-Type': 'device',
      'Bridge-ID': callId,
      'Call-Interaction-ID': '63871234567-1c2d3e4f',
      'Channel-Authorized': 'true',
      'Ecallmgr-Node': 'ecallmgr@apps1.example.com',
      'Fetch-ID': 'a60aea8c-67f2-11e5-8465-3390f8e3460f',
      'Global-Resource': 'false',
      'Owner-ID': ownerId,
      Realm: realm,
      Username: 'user_k2j4h5',
    },
    'Custom-SIP-Headers': { 'X-AUTH-IP': '203.0.113.10' },
    Disposition: 'ANSWER',
    From: `1001@${realm}`,
    'From-Tag': 'l530ecbu2f',
    'From-Uri': `1001@${realm}`,
    'Media-Server': 'fs1.example.com',
    'Other-Leg-Call-ID': otherLegCallId,
    'Presence-ID': `1001@${realm}`,
    Request: `1002@${realm}`,
    ...switchHeaders,
    Timestamp: 63871234571,
    To: `1002@${realm}`,
    'To-Tag': '9tr3FZcKDaNHK',
    'To-Uri': `1002@${realm}`,
  },
  // ecallmgr puts no Request/To/From on bridge events.
  CHANNEL_BRIDGE: {
    ...envelope('CHANNEL_BRIDGE', '1704015371560012'),
    ...leg,
    ...callee,
    'Channel-Call-State': 'ACTIVE',
    'Channel-State': 'EXECUTE',
    ...channel,
    'Custom-Application-Vars': {},
    'Custom-Channel-Vars': {
      'Account-ID': accountId,
      'Application-Name': 'callflow',
      'Authorizing-ID': deviceId,
      'Authorizing-Type': 'device',
      'Global-Resource': 'false',
      'Owner-ID': ownerId,
      'Original-Number': '1002',
    },
    'Custom-SIP-Headers': {},
    'Media-Server': 'fs1.example.com',
    'Other-Leg-Call-ID': otherLegCallId,
    'Other-Leg-Caller-ID-Name': 'Alice Desk',
    'Other-Leg-Caller-ID-Number': '1001',
    'Other-Leg-Destination-Number': '1002',
    'Other-Leg-Direction': 'outbound',
    'Presence-ID': `1001@${realm}`,
    ...switchHeaders,
    Timestamp: 63871234571,
  },
  CHANNEL_DESTROY: {
    ...envelope('CHANNEL_DESTROY', '1704015403901877'),
    ...leg,
    ...callee,
    'Billing-Seconds': 32,
    'Duration-Seconds': 36,
    'Ringing-Seconds': 4,
    'Channel-Call-State': 'HANGUP',
    'Channel-State': 'REPORTING',
    ...channel,
    'Custom-Application-Vars': {},
    'Custom-Channel-Vars': {
      'Account-ID': accountId,
      'Application-Name': 'callflow',
      'Authorizing-ID': deviceId,
      'Authorizing-Type': 'device',
      'Call-Interaction-ID': '63871234567-1c2d3e4f',
      'Global-Resource': 'false',
      'Owner-ID': ownerId,
    },
    'Custom-SIP-Headers': {},
    Disposition: 'ANSWER',
    From: `1001@${realm}`,
    'From-Tag': 'l530ecbu2f',
    'From-Uri': `1001@${realm}`,
    'Hangup-Cause': 'NORMAL_CLEARING',
    'Hangup-Code': 'sip:200',
    'Local-SDP': 'v=0\r\no=FreeSWITCH 1704000000 1704000001 IN IP4 198.51.100.5\r\ns=FreeSWITCH\r\n',
    'Remote-SDP': 'v=0\r\no=- 3913004167 3913004167 IN IP4 203.0.113.10\r\ns=SDP data\r\n',
    'Media-Server': 'fs1.example.com',
    'Other-Leg-Call-ID': otherLegCallId,
    'Presence-ID': `1001@${realm}`,
    Request: `1002@${realm}`,
    ...switchHeaders,
    Timestamp: 63871234603,
    To: `1002@${realm}`,
    'To-Tag': '9tr3FZcKDaNHK',
    'To-Uri': `1002@${realm}`,
    'User-Agent': 'Yealink SIP-T46S 66.86.0.15',
  },
  // `ecallmgr_call_events` for a `record_call` stop: FreeSWITCH variables arrive as strings.
  RECORD_STOP: {
    ...envelope('RECORD_STOP', '1704015402877310'),
    ...leg,
    ...callee,
    'Application-Name': 'record',
    'Application-Response': `/tmp/${callId}.mp3`,
    ...channel,
    'Custom-Channel-Vars': { 'Account-ID': accountId, 'Application-Name': 'callflow', 'Owner-ID': ownerId },
    From: `1001@${realm}`,
    Length: '30512',
    'Other-Leg-Call-ID': otherLegCallId,
    Request: `1002@${realm}`,
    'Silence-Terminated': false,
    Timestamp: 63871234602,
    To: `1002@${realm}`,
  },
  DTMF: {
    ...envelope('DTMF', '1704015380200114'),
    ...leg,
    ...callee,
    ...channel,
    'Custom-Channel-Vars': { 'Account-ID': accountId, 'Application-Name': 'callflow', 'Owner-ID': ownerId },
    'DTMF-Digit': '5',
    'DTMF-Duration': '2000',
    'Other-Leg-Call-ID': otherLegCallId,
    Timestamp: 63871234580,
  },
};

/** A fresh copy of the example message for `name` (callers may change it). */
export function exampleMessage(name: CallEventName): JsonObject {
  return structuredClone(messages[name]);
}
