/**
 * `auditResource({ singleSession })`: the audit trail (`SessionAuditEvents`, written with `audit: true`) as a
 * read-only AdminJS resource, newest first: every ending and, since 0.2, every sign-in (`login`). New, edit and delete
 * are refused on the server.
 */
import type { ResourceWithOptions } from 'adminjs';
import { componentsFeature } from '../components.js';
import { adminMessages as m, fail } from '../errors.js';
import { resourceTranslations } from '../locales/index.js';
import { checkOptions, type CommonOptions } from '../options.js';
import { readOnlyActions } from './access.js';
import { TIME_COMPONENTS } from './resource.js';

/** Options of `auditResource`. */
export type AuditResourceOptions = Omit<CommonOptions, 'componentLoader'>;

/** The audit trail as a read-only AdminJS resource (id `SessionAuditEvents`); needs an engine made with `audit: true`. */
/** The audit resource, for `new AdminJS({ resources: [...] })`; needs the engine's `audit: true`. */
export function auditResource(options: AuditResourceOptions): ResourceWithOptions {
  const { singleSession, can } = checkOptions('auditResource', options, ['can']);
  if (!singleSession.auditEnabled) fail(m.auditOff);
  return {
    resource: singleSession.models.SessionAuditEvent,
    options: {
      id: 'SessionAuditEvents',
      sort: { sortBy: 'at', direction: 'desc' },
      listProperties: ['at', 'reason', 'actorId', 'userIds', 'sessionCount'],
      filterProperties: ['at', 'reason', 'actorId'],
      // A JSON array of ids: shown as a list of strings. Dates as on every page of ours.
      properties: { userIds: { type: 'string', isArray: true }, at: TIME_COMPONENTS },
      actions: readOnlyActions(can),
      translations: resourceTranslations(['pages', 'auditResource']),
    },
    features: [componentsFeature('auditResource', undefined, 'sessionTime')],
  };
}
