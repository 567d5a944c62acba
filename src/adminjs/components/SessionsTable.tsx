/**
 * A list of sessions (device, IP, signed in, last seen), the current one marked "this device", with "End" on the
 * sessions the page lets end (never the current one). Shared by the user's sessions panel and the "My sessions"
 * page; bundled by AdminJS, so it imports only what AdminJS provides.
 */
import React from 'react';
import { Badge, Button, Icon, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';
import When from './When.js';

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

const SessionsTable: React.FC<{ sessions: Listed[]; resourceId?: string; onEnd?: (session: Listed) => void }> = ({ sessions, resourceId, onEnd }) => {
  const { translateMessage, translateButton } = useTranslation();
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
          {onEnd ? <TableCell /> : null}
        </TableRow>
      </TableHead>
      <TableBody>
        {sessions.map((s) => (
          <TableRow key={s.id} data-session={s.id} data-current={s.current ? 'true' : undefined}>
            <TableCell>
              <Text as="span">{[s.browser, s.os, s.device].filter(Boolean).join(' · ') || t('singleSessionUnknownDevice')}</Text>
              {s.current ? <Badge ml="sm" size="sm" variant="primary">{t('singleSessionThisDevice')}</Badge> : null}
            </TableCell>
            <TableCell data-css="single-session-ip">{s.ip ?? '—'}</TableCell>
            <TableCell data-css="single-session-created"><When value={s.createdAt} /></TableCell>
            <TableCell data-css="single-session-last-seen"><When value={s.lastSeenAt} /></TableCell>
            {onEnd ? (
              <TableCell style={{ textAlign: 'right' }}>
                {s.current ? null : (
                  <Button size="sm" variant="outlined" color="danger" onClick={() => onEnd(s)} data-testid="single-session-end">
                    <Icon icon="LogOut" />
                    {translateButton('singleSessionEnd', resourceId)}
                  </Button>
                )}
              </TableCell>
            ) : null}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

export default SessionsTable;
