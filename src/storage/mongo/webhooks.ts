import { ConflictError, NotFoundError } from '../../errors.js';
import type { WebhookStore } from '../store.js';
import { type Collections, type WebhookDocument, toWebhook } from './documents.js';
import { conflictOnDuplicate } from './errors.js';

export function webhookStore(c: Collections): WebhookStore {
  return {
    async createWebhook(accountId, hook) {
      const now = new Date();
      const document: WebhookDocument = {
        _id: hook.id,
        accountId,
        doc: hook.doc,
        disabledReason: null,
        revision: 1,
        createdAt: now,
        modifiedAt: now,
      };
      await conflictOnDuplicate(() => c.webhooks.insertOne(document), `webhook ${hook.id} exists`);
      return toWebhook(document);
    },

    async getWebhook(accountId, hookId) {
      const doc = await c.webhooks.findOne({ _id: hookId, accountId });
      return doc === null ? null : toWebhook(doc);
    },

    async listWebhooks(accountId) {
      const docs = await c.webhooks.find({ accountId }).sort({ _id: 1 }).toArray();
      return docs.map(toWebhook);
    },

    async countWebhooks(accountId) {
      return c.webhooks.countDocuments({ accountId });
    },

    async listEnabledWebhooks(accountIds) {
      if (accountIds.length === 0) return [];
      // $ne false also matches a missing `enabled`, which counts as enabled.
      const docs = await c.webhooks
        .find({ accountId: { $in: [...accountIds] }, 'doc.enabled': { $ne: false } })
        .sort({ accountId: 1, _id: 1 })
        .toArray();
      return docs.map(toWebhook);
    },

    async replaceWebhook(accountId, hookId, expectedRevision, change) {
      const doc = await c.webhooks.findOneAndUpdate(
        { _id: hookId, accountId, revision: expectedRevision },
        { $set: { doc: change.doc, disabledReason: change.disabledReason, modifiedAt: new Date() }, $inc: { revision: 1 } },
        { returnDocument: 'after' },
      );
      if (doc !== null) return toWebhook(doc);
      if ((await c.webhooks.countDocuments({ _id: hookId, accountId }, { limit: 1 })) === 0) throw new NotFoundError(hookId);
      throw new ConflictError(`webhook ${hookId} changed since revision ${expectedRevision}`);
    },

    async deleteWebhook(accountId, hookId) {
      const doc = await c.webhooks.findOneAndDelete({ _id: hookId, accountId });
      if (doc === null) return null;
      await c.deliveries.deleteMany({ accountId, hookId, status: 'pending' });
      return toWebhook(doc);
    },

    async reenableWebhooks(accountIds) {
      if (accountIds.length === 0) return 0;
      const result = await c.webhooks.updateMany(
        { accountId: { $in: [...accountIds] }, 'doc.enabled': false, disabledReason: { $ne: null } },
        { $set: { 'doc.enabled': true, disabledReason: null, modifiedAt: new Date() }, $inc: { revision: 1 } },
      );
      return result.modifiedCount;
    },
  };
}
