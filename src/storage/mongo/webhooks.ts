import { ConflictError, NotFoundError } from '../../errors.js';
import type { WebhookStore } from '../store.js';
import type { WebhookCodec } from '../webhook-codec.js';
import { type Collections, type WebhookDocument, toStoredWebhook, toWebhookDocument } from './documents.js';
import { conflictOnDuplicate } from './errors.js';
import { healthFilter, toHealth } from './health.js';

export function webhookStore(c: Collections, codec: WebhookCodec): WebhookStore {
  const decode = (document: WebhookDocument) => codec.decode(toStoredWebhook(document));
  /** A document this adapter just wrote from a validated draft always decodes. */
  const written = (document: WebhookDocument) => {
    const hook = decode(document);
    if (hook === null) throw new Error(`webhook ${document._id} was written in a form the schema refuses`);
    return hook;
  };
  return {
    async createWebhook(accountId, hook) {
      const now = new Date();
      const document = toWebhookDocument({
        id: hook.id,
        accountId,
        doc: codec.encode(hook),
        disabledReason: null,
        revision: 1,
        createdAt: now,
        modifiedAt: now,
      });
      await conflictOnDuplicate(() => c.webhooks.insertOne(document), `webhook ${hook.id} exists`);
      return written(document);
    },

    async getWebhook(accountId, hookId) {
      const doc = await c.webhooks.findOne({ _id: hookId, accountId });
      return doc === null ? null : decode(doc);
    },

    async listWebhooks(accountId) {
      const docs = await c.webhooks.find({ accountId }).sort({ _id: 1 }).toArray();
      return codec.decodeAll(docs.map(toStoredWebhook));
    },

    async countWebhooks(accountId) {
      return c.webhooks.countDocuments({ accountId });
    },

    async listEnabledWebhooks(accountIds, options = {}) {
      if (accountIds.length === 0) return [];
      // $ne false also matches a missing `enabled`, which counts as enabled.
      const enabled = { 'doc.enabled': { $ne: false } };
      const taking = options.includeAutoDisabled === true ? { $or: [enabled, { disabledReason: { $ne: null } }] } : enabled;
      const docs = await c.webhooks
        .find({ accountId: { $in: [...accountIds] }, ...taking })
        .sort({ accountId: 1, _id: 1 })
        .toArray();
      return codec.decodeAll(docs.map(toStoredWebhook));
    },

    async replaceWebhook(accountId, hookId, expectedRevision, change) {
      const doc = await c.webhooks.findOneAndUpdate(
        { _id: hookId, accountId, revision: expectedRevision },
        { $set: { doc: codec.encode(change), disabledReason: change.disabledReason, modifiedAt: new Date() }, $inc: { revision: 1 } },
        { returnDocument: 'after' },
      );
      if (doc !== null) return written(doc);
      if ((await c.webhooks.countDocuments({ _id: hookId, accountId }, { limit: 1 })) === 0) throw new NotFoundError(hookId);
      throw new ConflictError(`webhook ${hookId} changed since revision ${expectedRevision}`);
    },

    async deleteWebhook(accountId, hookId) {
      const doc = await c.webhooks.findOneAndDelete({ _id: hookId, accountId });
      if (doc === null) return null;
      await c.deliveries.deleteMany({ accountId, hookId, status: 'pending' });
      await c.hookHealth.deleteOne(healthFilter(accountId, hookId));
      return { id: doc._id, hook: decode(doc) };
    },

    async reenableWebhooks(accountIds) {
      if (accountIds.length === 0) return 0;
      const autoDisabled = { accountId: { $in: [...accountIds] }, 'doc.enabled': false, disabledReason: { $ne: null } };
      const ids = await c.webhooks.find(autoDisabled, { projection: { _id: 1, accountId: 1 } }).toArray();
      if (ids.length === 0) return 0;
      // The filter is repeated so a hook changed in between is left as it now is.
      const result = await c.webhooks.updateMany(
        { ...autoDisabled, _id: { $in: ids.map((doc) => doc._id) } },
        { $set: { 'doc.enabled': true, disabledReason: null, modifiedAt: new Date() }, $inc: { revision: 1 } },
      );
      await c.hookHealth.deleteMany({ $or: ids.map((doc) => healthFilter(doc.accountId, doc._id)) });
      return result.modifiedCount;
    },

    async getHookHealth(accountId, hookId) {
      const doc = await c.hookHealth.findOne(healthFilter(accountId, hookId));
      return doc === null ? null : toHealth(doc);
    },

    async clearHookHealth(accountId, hookId) {
      await c.hookHealth.deleteOne(healthFilter(accountId, hookId));
    },

    async resealWebhookSecrets() {
      let rewritten = 0;
      const cursor = c.webhooks.find(
        { 'doc.pvt_secrets': { $exists: true } },
        { projection: { _id: 1, accountId: 1, doc: 1, revision: 1 } },
      );
      for await (const hook of cursor) {
        if (typeof hook.doc === 'string') continue;
        const doc = codec.reseal({ id: hook._id, accountId: hook.accountId, doc: hook.doc });
        if (doc === null) continue;
        // Only if unchanged since it was read: a hook rewritten meanwhile was written sealed.
        const result = await c.webhooks.updateOne({ _id: hook._id, revision: hook.revision }, { $set: { doc } });
        rewritten += result.modifiedCount;
      }
      return rewritten;
    },
  };
}
