/**
 * A list of sessions (device, IP, signed in, last seen), the current one marked "this device". Shared by the user's
 * sessions panel and the "My sessions" page; bundled by AdminJS, so it imports only what AdminJS provides.
 */
import React from 'react';
import { Badge, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';

export interface Listed {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
  current: boolean;
}

const when = (iso: string) => new Date(iso).toLocaleString();

const SessionsTable: React.FC<{ sessions: Listed[]; resourceId?: string }> = ({ sessions, resourceId }) => {
  const { translateMessage } = useTranslation();
  const t = (key: string) => translateMessage(key, resourceId);
  if (sessions.length === 0) return <Text data-css="single-session-no-sessions">{t('singleSessionNoSessions')}</Text>;
  return (
    <Table data-css="single-session-sessions">
      <TableHead>
        <TableRow>
          <TableCell>{t('singleSessionColumnDevice')}</TableCell>
          <TableCell>{t('singleSessionColumnIp')}</TableCell>
          <TableCell>{t('singleSessionColumnCreated')}</TableCell>
          <TableCell>{t('singleSessionColumnLastSeen')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {sessions.map((s) => (
          <TableRow key={s.id} data-session={s.id} data-current={s.current ? 'true' : undefined}>
            <TableCell>
              <Text as="span">{[s.browser, s.os, s.device].filter(Boolean).join(' · ') || t('singleSessionUnknownDevice')}</Text>
              {s.current ? <Badge ml="sm" size="sm" variant="primary">{t('singleSessionThisDevice')}</Badge> : null}
            </TableCell>
            <TableCell>{s.ip ?? '—'}</TableCell>
            <TableCell>{when(s.createdAt)}</TableCell>
            <TableCell>{when(s.lastSeenAt)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

export default SessionsTable;
