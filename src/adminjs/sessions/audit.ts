/**
 * `auditResource({ singleSession })`: the audit trail (`SessionAuditEvents`, written with `audit: true`) as a
 * read-only AdminJS resource, newest first. New, edit and delete are refused on the server.
 */
import type { ResourceWithOptions } from 'adminjs';
import { adminMessages as m, fail } from '../errors.js';
import { resourceTranslations } from '../locales/index.js';
import { checkOptions, type CommonOptions } from '../options.js';
import { readOnlyActions } from './access.js';

export type AuditResourceOptions = Omit<CommonOptions, 'componentLoader'>;

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
      // A JSON array of ids: shown as a list of strings.
      properties: { userIds: { type: 'string', isArray: true } },
      actions: readOnlyActions(can),
      translations: resourceTranslations(['pages', 'auditResource']),
    },
  };
}
