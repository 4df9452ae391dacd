/**
 * Kazoo 4.3's notification definitions (`kapi_notifications:api_definitions/0`), as its webhooks
 * app uses them: every definition but `skel` and `notify_update` is bound on the `notifications`
 * exchange, offered as a `type` modifier of `notifications` hooks (with its friendly name and
 * description), and checked for its required headers before it fires. Data, transcribed from
 * Kazoo's source (texts verbatim, typos included, so GET /v2/webhooks reads as Kazoo's).
 */

export interface NotificationDefinition {
  /** The `Event-Name`, and the value of a hook's `custom_data.type`. */
  name: string;
  friendlyName: string;
  description: string;
  /** The routing key Kazoo publishes it under on the `notifications` exchange. */
  routingKey: string;
  /** Headers the message must carry (besides Event-Category and Event-Name). */
  required: readonly string[];
}

/** In Kazoo's order (the order it binds them). */
export const notificationDefinitions: readonly NotificationDefinition[] = [
  {
    name: 'bill_reminder',
    friendlyName: 'Bill Reminder',
    description:
      "This event is triggered before a few days before the end of the month toremind account's owners of estimated service plan charges",
    routingKey: 'notifications.account.reminder',
    required: ['Account-ID', 'Due-Date', 'Items', 'Timestamp'],
  },
  {
    name: 'low_balance',
    friendlyName: 'Account Low Balance',
    description: 'This event is triggered when an account is found with a balance below the notification threshold',
    routingKey: 'notifications.account.low_balance',
    required: ['Account-ID', 'Current-Balance'],
  },
  {
    name: 'new_account',
    friendlyName: 'New Account',
    description: 'This event is triggered when an end user creates a new account',
    routingKey: 'notifications.account.new',
    required: ['Account-ID'],
  },
  {
    name: 'service_added',
    friendlyName: 'Service Added',
    description: "This event is triggered when an account's billable quantities change",
    routingKey: 'notifications.account.service_added',
    required: ['Account-ID', 'Audit-Log', 'Items', 'Timestamp'],
  },
  {
    name: 'topup',
    friendlyName: 'Automatic Account Top-up',
    description: 'This event is triggered when an account automatic top-up is attempted',
    routingKey: 'notifications.account.topup',
    required: ['Account-ID', 'Amount', 'Response', 'Success', 'Timestamp'],
  },
  {
    name: 'transaction',
    friendlyName: 'Transaction Completed',
    description: 'This event is triggered when a transaction is attempted',
    routingKey: 'notifications.account.transaction',
    required: ['Account-ID', 'Amount', 'Response', 'Success', 'Timestamp'],
  },
  {
    name: 'account_zone_change',
    friendlyName: 'Account Zone Change',
    description: 'This event is triggered when an end user requests the home zone of an account is changed',
    routingKey: 'notifications.account.zone_change',
    required: ['Account-ID', 'Zones'],
  },
  {
    name: 'inbound_fax',
    friendlyName: 'Successful Fax Reception',
    description: 'This event is triggered when a fax is successfully received',
    routingKey: 'notifications.fax.inbound',
    required: ['Account-ID', 'Fax-ID', 'From-Realm', 'From-User', 'To-Realm', 'To-User'],
  },
  {
    name: 'inbound_fax_error',
    friendlyName: 'Fax Reception Error',
    description: 'This event is triggered when receiving a fax fails',
    routingKey: 'notifications.fax.inbound_error',
    required: ['Account-ID', 'From-Realm', 'From-User', 'To-Realm', 'To-User'],
  },
  {
    name: 'outbound_fax',
    friendlyName: 'Successful Fax Transmission',
    description: 'This event is triggered when a fax is successfully transmitted',
    routingKey: 'notifications.fax.outbound',
    required: ['Account-ID', 'Callee-ID-Number', 'Caller-ID-Number', 'Fax-ID', 'Fax-JobId'],
  },
  {
    name: 'outbound_fax_error',
    friendlyName: 'Fax Transmission Error',
    description: 'This event is triggered when transmitting a fax fails',
    routingKey: 'notifications.fax.outbound_error',
    required: ['Fax-ID', 'Fax-JobId'],
  },
  {
    name: 'outbound_smtp_fax_error',
    friendlyName: 'Invalid Email-to-Fax Email',
    description: 'This event is triggered when the received email-to-fax email is invalid',
    routingKey: 'notifications.fax.outbound_smtp_error',
    required: ['Account-ID', 'Fax-From-Email', 'Errors', 'Timestamp'],
  },
  {
    name: 'cnam_request',
    friendlyName: 'CNAM Update',
    description: 'This event is triggered when an end user would like the CNAM for a number changed',
    routingKey: 'notifications.number.cnam_request',
    required: ['Account-ID', 'Number', 'Cnam'],
  },
  {
    name: 'port_request',
    friendlyName: 'Port Request',
    description: 'This event is triggered when a port is submitted for processing',
    routingKey: 'notifications.number.port_request',
    required: ['Account-ID', 'Port-Request-ID'],
  },
  {
    name: 'port_cancel',
    friendlyName: 'Port Cancel',
    description: 'This event is triggered when a port request is canceled',
    routingKey: 'notifications.number.port_cancel',
    required: ['Account-ID', 'Port-Request-ID'],
  },
  {
    name: 'port_comment',
    friendlyName: 'Port Comment',
    description: 'This event is triggered when a comment is left on a port request',
    routingKey: 'notifications.number.port_comment',
    required: ['Account-ID', 'Port-Request-ID', 'Comment'],
  },
  {
    name: 'port_pending',
    friendlyName: 'Port Pending',
    description: 'This event is triggered when a port request is accepted and submitted to a carrier',
    routingKey: 'notifications.number.port_pending',
    required: ['Account-ID', 'Port-Request-ID'],
  },
  {
    name: 'port_rejected',
    friendlyName: 'Port Rejected',
    description: 'This event is triggered when a port request is rejected',
    routingKey: 'notifications.number.port_rejected',
    required: ['Account-ID', 'Port-Request-ID'],
  },
  {
    name: 'port_scheduled',
    friendlyName: 'Port Scheduled',
    description: 'This event is triggered when a port is accepted by a carrier and scheduled',
    routingKey: 'notifications.number.port_scheduled',
    required: ['Account-ID', 'Port-Request-ID'],
  },
  {
    name: 'port_unconfirmed',
    friendlyName: 'Port Unconfirmed',
    description: 'This event is triggered when a port is created, prior to submitting',
    routingKey: 'notifications.number.port_unconfirmed',
    required: ['Account-ID', 'Port-Request-ID'],
  },
  {
    name: 'ported',
    friendlyName: 'Ported',
    description: 'This event is triggered when a port request for number is completed',
    routingKey: 'notifications.number.ported',
    required: ['Account-ID', 'Port-Request-ID'],
  },
  {
    name: 'denied_emergency_bridge',
    friendlyName: 'Emergency Call Failed',
    description: 'This event is triggered when a call to an number classified as emergency fails',
    routingKey: 'notifications.registration.denied_emergency_bridge',
    required: ['Account-ID', 'Call-ID'],
  },
  {
    name: 'emergency_bridge',
    friendlyName: 'Emergency Call Placed',
    description: 'This event is triggered when a call to an number classified as emergency is placed',
    routingKey: 'notifications.registration.emergency_bridge',
    required: ['Account-ID', 'Call-ID'],
  },
  {
    name: 'deregister',
    friendlyName: 'De-Registration',
    description: 'This event is triggered when a device fails to re-register and the contact expires',
    routingKey: 'notifications.sip.deregister',
    required: ['Account-ID', 'Username', 'Realm'],
  },
  {
    name: 'first_occurrence',
    friendlyName: 'Account First Occurrence',
    description: 'This event is triggered when an end user registers the first device and/or places the first call on an account',
    routingKey: 'notifications.sip.first_occurrence',
    required: ['Account-ID', 'Occurrence'],
  },
  {
    name: 'missed_call',
    friendlyName: 'Missed Call',
    description: 'This event is triggered when an corresponding missed call action in a callflow is invoked',
    routingKey: 'notifications.sip.missed_call',
    required: ['Account-ID', 'Call-ID', 'Call-Bridged', 'Message-Left'],
  },
  {
    name: 'register',
    friendlyName: 'Registration',
    description: 'This event is triggered when a device registers but is not currently registered',
    routingKey: 'notifications.sip.register',
    required: ['Account-ID', 'Username', 'Realm'],
  },
  {
    name: 'system_alert',
    friendlyName: 'System Alert',
    description: 'This event is triggered to alert the system administrators',
    routingKey: 'notifications.system.alert',
    required: ['Message', 'Subject'],
  },
  {
    name: 'customer_update',
    friendlyName: 'Customer Update',
    description: 'This event is triggered when the customer update API is used to deliver a message to the account',
    routingKey: 'notifications.user.customer_update',
    required: ['Account-ID'],
  },
  {
    name: 'new_user',
    friendlyName: 'New User',
    description: 'This event is triggered when an end user creates a new user',
    routingKey: 'notifications.user.new',
    required: ['Account-ID', 'User-ID'],
  },
  {
    name: 'password_recovery',
    friendlyName: 'Password Recovery',
    description: 'This event is triggered when an end user requests a password recovery link',
    routingKey: 'notifications.user.password_recovery',
    required: ['Account-ID', 'Email', 'Password-Reset-Link'],
  },
  {
    name: 'voicemail_full',
    friendlyName: 'Voicemail Box Full',
    description: 'This event is triggered any time an attempt to leave a voicemail message is blocked because the voicemail box is full',
    routingKey: 'notifications.voicemail.full',
    required: ['Account-ID', 'Max-Message-Count', 'Message-Count', 'Voicemail-Box'],
  },
  {
    name: 'voicemail_new',
    friendlyName: 'New Voicemail Message',
    description: 'This event is triggered any time a voicemail message is left',
    routingKey: 'notifications.voicemail.new',
    required: ['Account-ID', 'From-Realm', 'From-User', 'To-Realm', 'To-User', 'Voicemail-Box', 'Voicemail-ID', 'Voicemail-Timestamp'],
  },
  {
    name: 'voicemail_saved',
    friendlyName: 'Voicemail Message Saved',
    description: "This event is triggered any time a voicemail message is saved in the voicemail box 'new' folder",
    routingKey: 'notifications.voicemail.saved',
    required: ['Account-ID', 'From-Realm', 'From-User', 'To-Realm', 'To-User', 'Voicemail-Box', 'Voicemail-ID', 'Voicemail-Timestamp'],
  },
  {
    name: 'webhook',
    friendlyName: 'Callflow Webhook Triggered',
    description: 'This event is triggered when a corresponding webhook action in a callflow is reached',
    routingKey: 'notifications.webhook.callflow',
    required: ['Data', 'Hook'],
  },
  {
    name: 'webhook_disabled',
    friendlyName: 'Webhook Disabled',
    description: 'This event is triggered when a webhook is disabled',
    routingKey: 'notifications.webhook.disabled',
    required: ['Account-ID', 'Hook-ID'],
  },
  {
    name: 'number_feature_manual_action',
    friendlyName: 'Number Feature Manual Action Required',
    description: 'This event is triggered when a number feature is activate/deactivated and a manual action is required',
    routingKey: 'notifications.account.number_feature_manual_action',
    required: ['Account-ID', 'Number', 'Feature'],
  },
];

const byName = new Map(notificationDefinitions.map((definition) => [definition.name, definition]));

export function notificationDefinition(name: string): NotificationDefinition | undefined {
  return byName.get(name);
}

/** Types only a superduper admin sees in GET /v2/webhooks (cb_webhooks' NOTIFY_SUPER_ADMIN_ONLY). */
export const superAdminNotificationTypes: ReadonlySet<string> = new Set(['system_alert', 'webhook_disabled']);
