/**
 * What every confirmation of ours shows before sessions end — the drawer of the "Log out on all sessions" and "End
 * sessions" actions, and the dialog of "End" in the sessions panel and "My sessions": each target with what will
 * happen to it and, from the server's preview, how many live sessions end, then the total. Not a component of its
 * own: the pages import it (AdminJS bundles it with them), so it imports only what AdminJS provides.
 */
import React from 'react';
import {
  Badge, Box, Button, Icon, MessageBox, Table, TableBody, TableCell, TableHead, TableRow, Text,
} from '@adminjs/design-system';
import type { RecordJSON } from 'adminjs';
// Types only (erased when AdminJS bundles this file): what the server's preview sends with each record.
import type { Outcome, TargetInfo } from '../confirm.js';

export type Target = Pick<RecordJSON, 'id' | 'title'> & { singleSession?: TargetInfo };

export type Translate = (key: string, options?: Record<string, unknown>) => string;

/** The keys a confirmation's wording comes from; a page may swap some (resource-scoped texts swap others). */
export const CONFIRMATION_KEYS = {
  column: 'singleSessionColumnUser',
  outcomeLogout: 'singleSessionOutcomeLogout',
  selfWarning: 'singleSessionSelfWarning',
  nothingToDo: 'singleSessionNothingToDo',
};
/** Ending one session from the sessions panel or "My sessions" (global keys: these pages have no resource texts). */
export const ONE_SESSION_KEYS: typeof CONFIRMATION_KEYS = {
  ...CONFIRMATION_KEYS,
  column: 'singleSessionColumnSession',
  outcomeLogout: 'singleSessionOutcomeEnd',
};

const OUTCOME_COLOR: Record<Outcome, string> = { logout: 'error', 'skipped-admin': 'grey60', forbidden: 'grey60' };

/** The row's "what happens". */
function outcomeText(t: Translate, keys: typeof CONFIRMATION_KEYS, info: TargetInfo | undefined): string {
  const outcome = info?.outcome ?? 'logout';
  if (outcome === 'skipped-admin') return t('singleSessionOutcomeSkippedAdmin');
  if (outcome === 'forbidden') return t('singleSessionOutcomeForbidden', { permission: info?.permission });
  if (info?.kind === 'session' && info.isSelf) return t('singleSessionOutcomeKept');
  if (info?.kind === 'user' && info.sessions === 0) return t('singleSessionOutcomeNoSession');
  return t(keys.outcomeLogout);
}

/** Does confirming end something of this target (as far as the preview knows)? Drawn red; the rest grey. */
const ending = (info: TargetInfo | undefined) => (info?.outcome ?? 'logout') === 'logout' && info?.sessions !== 0;

/** Sessions that end, and the users they belong to, over the targets the preview counted. */
export function totals(targets: Target[]): { sessions: number; users: number } | null {
  const counted = targets.filter((target) => target.singleSession?.sessions !== undefined);
  if (counted.length === 0) return null;
  const ending = counted.filter((target) => target.singleSession!.outcome === 'logout' && target.singleSession!.sessions! > 0);
  return {
    sessions: ending.reduce((sum, target) => sum + target.singleSession!.sessions!, 0),
    users: new Set(ending.map((target) => target.singleSession!.userId)).size,
  };
}

/**
 * The total first (what an administrator must not miss: a no-op or a mass logout), then each target: what happens
 * to it and, for users, how many sessions end.
 */
export const ConfirmationBody: React.FC<{ targets: Target[]; t: Translate; keys?: typeof CONFIRMATION_KEYS }> = ({ targets, t, keys = CONFIRMATION_KEYS }) => {
  const affected = targets.filter((target) => target.singleSession?.outcome === 'logout');
  const sum = totals(targets);
  const perUser = targets.some((target) => target.singleSession?.kind === 'user' && target.singleSession.sessions !== undefined);
  return (
    <>
      {sum ? (
        <Text mb="lg" fontWeight="bold" data-css="single-session-total" data-sessions={sum.sessions} data-users={sum.users}>
          {t('singleSessionTotal', sum)}
        </Text>
      ) : null}
      {affected.some((target) => target.singleSession?.isSelf) ? <MessageBox mb="lg" variant="warning" message={t(keys.selfWarning)} /> : null}
      {affected.length === 0 ? <MessageBox mb="lg" variant="info" message={t(keys.nothingToDo)} /> : null}
      {affected.length > 0 && sum?.sessions === 0 ? <MessageBox mb="lg" variant="info" message={t('singleSessionNoSessionsToEnd')} /> : null}
      <Table data-css="single-session-targets">
        <TableHead>
          <TableRow>
            <TableCell>{t(keys.column)}</TableCell>
            <TableCell>{t('singleSessionColumnOutcome')}</TableCell>
            {perUser ? <TableCell style={{ textAlign: 'right', width: '6em' }}>{t('singleSessionColumnSessions')}</TableCell> : null}
          </TableRow>
        </TableHead>
        <TableBody>
          {targets.map((target) => {
            const info = target.singleSession;
            const outcome = info?.outcome ?? 'logout';
            return (
              <TableRow key={target.id} data-outcome={outcome} data-sessions={info?.sessions}>
                <TableCell>
                  <Box flex flexDirection="row" alignItems="center" flexWrap="wrap">
                    {/* Lines break between words only: an email address stays whole. */}
                    <Text style={{ wordBreak: 'normal', overflowWrap: 'normal' }}>{target.title}</Text>
                    {info?.isAdmin ? <Badge ml="sm" size="sm" variant="primary">{t('singleSessionAdminBadge')}</Badge> : null}
                    {info?.isSelf ? <Badge ml="sm" size="sm" variant="info">{t('singleSessionYouBadge')}</Badge> : null}
                  </Box>
                </TableCell>
                <TableCell>
                  <Text variant="sm" color={ending(info) ? OUTCOME_COLOR[outcome] : 'grey60'}>{outcomeText(t, keys, info)}</Text>
                </TableCell>
                {perUser ? (
                  <TableCell style={{ textAlign: 'right' }} data-css="single-session-count">
                    {outcome === 'logout' ? info?.sessions : '—'}
                  </TableCell>
                ) : null}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </>
  );
};

/** The danger button that confirms. */
export const ConfirmButton: React.FC<{
  label: string; sending: boolean; disabled?: boolean; onClick: () => void; testId: string; size?: 'sm' | 'md' | 'lg';
}> = ({ label, sending, disabled = false, onClick, testId, size }) => (
  <Button variant="contained" color="danger" size={size} onClick={onClick} disabled={sending || disabled} data-testid={testId}>
    {sending ? <Icon icon="Loader" spin /> : <Icon icon="LogOut" />}
    {label}
  </Button>
);
