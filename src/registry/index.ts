/**
 * Opens the registry for the Sequelize instance's dialect, once at start-up. Nothing else in the package asks
 * which database it runs on: a new dialect is a new implementation of `SqlRegistry`'s statements, listed here.
 */
import type { Sequelize } from 'sequelize';
import { messages, SingleSessionConfigError } from '../errors.js';
import { MariaDbRegistry } from './mariadb.js';
import { PostgresRegistry } from './postgres.js';
import type { RegistrySettings, SessionRegistry } from './registry.js';

export type {
  DeviceIdentity, EndedCounts, EndingsHandlers, EndingsListener, EndReason, Ending, ListenSettings, LoadedSession, NotLive,
  OnPurposeReason, Rekey, LoginMetadata, LoginResult, LoginWrite, PurgedCounts,
  RegistrySettings, SessionClaim, SessionCount, SessionInfo, SessionRegistry, TimeoutReason, UnlinkedSession,
} from './registry.js';
// Statistics (the AdminJS dashboard, the confirmations' counts).
export type { AuditHour, AuditHours, AuditKind, LiveSummary, Share } from './registry.js';
export { ON_PURPOSE_REASONS, totalOf } from './registry.js';

const DIALECTS: Record<string, (sequelize: Sequelize, settings: RegistrySettings) => Promise<SessionRegistry>> = {
  postgres: (sequelize, settings) => PostgresRegistry.open(sequelize, settings),
  mariadb: (sequelize, settings) => MariaDbRegistry.open(sequelize, settings),
};

export const SUPPORTED_DIALECTS = Object.keys(DIALECTS);

export function openRegistry(sequelize: Sequelize, settings: RegistrySettings): Promise<SessionRegistry> {
  const dialect = sequelize.getDialect();
  const open = Object.hasOwn(DIALECTS, dialect) ? DIALECTS[dialect] : undefined;
  if (!open) throw new SingleSessionConfigError(messages.unsupportedDialect(dialect, SUPPORTED_DIALECTS));
  return open(sequelize, settings);
}
