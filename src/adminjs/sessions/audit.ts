/**
 * `auditResource({ singleSession })`: the audit trail (`SessionAuditEvents`, written with `audit: true`) as a
 * read-only AdminJS resource, newest first. New, edit and delete are refused on the server.
 */
import type { ResourceWithOptions } from 'adminjs';
import { TABLES } from '../../registry.js';
import { readOnlyActions } from './access.js';
import { resourceTranslations } from './locales.js';
import { checkOptions, failConfig, sessionsMessages as m, type CommonOptions } from './options.js';

export type AuditResourceOptions = CommonOptions;

const KNOWN = ['singleSession', 'can'] as const;

export function auditResource(options: AuditResourceOptions): ResourceWithOptions {
  const { singleSession, can } = checkOptions('auditResource', options, KNOWN, { componentLoader: false });
  if (!singleSession.options.audit) failConfig(m.auditOff);
  return {
    resource: singleSession.models.SessionAuditEvent,
    options: {
      id: TABLES.audit,
      sort: { sortBy: 'at', direction: 'desc' },
      listProperties: ['at', 'reason', 'actorId', 'userIds', 'sessionCount'],
      filterProperties: ['at', 'reason', 'actorId'],
      // A JSON array of ids: shown as a list of strings.
      properties: { userIds: { type: 'string', isArray: true } },
      actions: readOnlyActions(can),
      translations: resourceTranslations(['global', 'audit']),
    },
  };
}
