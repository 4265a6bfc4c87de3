import { hubError, type FieldProblem } from '../../domain/errors';
import type { RecipientsPreview } from '../../services/admin/recipients-admin';
import type { AdminRoute } from './admin-routes';

/** The preview as JSON, in the admin API's words. */
export const recipientsPreviewJson = (p: RecipientsPreview) => ({
  collection: p.collection.id,
  provider: p.providerOrgId,
  marking: p.marking,
  recipients: p.recipients.map((r) => ({ organization: r.organizationId, rule: r.rule })),
});

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/**
 * GET /collections/:id/recipients?provider=<org>&marking=<tlp>[&recipients=<org,org>]: who would
 * receive an object of that provider with that marking in the collection, and by which rule.
 */
export const recipientsPreviewRoute: AdminRoute = {
  method: 'get',
  path: '/collections/:id/recipients',
  handle: async (admin, who, req) => {
    const provider = text(req.query.provider);
    const marking = text(req.query.marking);
    const missing: FieldProblem[] = [];
    if (provider === undefined) missing.push({ path: 'provider', message: 'name the providing organization' });
    if (marking === undefined) missing.push({ path: 'marking', message: 'name the TLP marking (clear, green, amber, amber+strict, red)' });
    if (provider === undefined || marking === undefined) {
      throw hubError('VALIDATION_FAILED', { description: missing.map((p) => `${p.path}: ${p.message}`).join('; '), problems: missing });
    }
    const recipients = (text(req.query.recipients) ?? '').split(',').map((r) => r.trim()).filter((r) => r !== '');
    const preview = await admin.recipients.preview(who, String(req.params.id), { providerOrgId: provider, marking, recipients });
    return { status: 200, body: recipientsPreviewJson(preview) };
  },
};
