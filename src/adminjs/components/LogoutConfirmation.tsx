/**
 * The confirmation page of the "Log out on all sessions" actions (bulk and record). AdminJS GETs the action to
 * render it (a preview: the server marks each user with what will happen); only the confirm button POSTs, which
 * ends the sessions. Bundled by AdminJS from the host's ComponentLoader, so it imports only what AdminJS
 * provides globally (react, react-router, adminjs, @adminjs/design-system).
 */
import React, { useState } from 'react';
import { useNavigate } from 'react-router';
import {
  Badge, Box, Button, DrawerContent, DrawerFooter, Icon, MessageBox, Table, TableBody, TableCell, TableHead, TableRow, Text,
} from '@adminjs/design-system';
import { ActionHeader, ApiClient, useNotice, useTranslation, type ActionProps, type RecordJSON } from 'adminjs';

type Outcome = 'logout' | 'skipped-admin' | 'forbidden';
type Target = RecordJSON & { singleSession?: { isAdmin: boolean; isSelf: boolean; outcome: Outcome; permission?: string } };

const OUTCOME_TEXT: Record<Outcome, string> = {
  logout: 'singleSessionOutcomeLogout',
  'skipped-admin': 'singleSessionOutcomeSkippedAdmin',
  forbidden: 'singleSessionOutcomeForbidden',
};
const OUTCOME_COLOR: Record<Outcome, string> = { logout: 'error', 'skipped-admin': 'grey60', forbidden: 'grey60' };

const LogoutConfirmation: React.FC<ActionProps> = (props) => {
  const { resource, action, record, records } = props;
  const { translateMessage, translateButton } = useTranslation();
  const addNotice = useNotice();
  const navigate = useNavigate();
  const [sending, setSending] = useState(false);
  const targets = ((records ?? (record ? [record] : [])) as Target[]);
  const t = (key: string, options?: Record<string, unknown>) => translateMessage(key, resource.id, options);

  const affected = targets.filter((r) => r.singleSession?.outcome === 'logout');
  const selfAmongThem = affected.some((r) => r.singleSession?.isSelf);

  const confirm = async () => {
    setSending(true);
    const api = new ApiClient();
    try {
      const response = records
        ? await api.bulkAction({ resourceId: resource.id, actionName: action.name, recordIds: targets.map((r) => r.id), method: 'post' })
        : await api.recordAction({ resourceId: resource.id, actionName: action.name, recordId: record!.id, method: 'post' });
      const { notice, redirectUrl, stepUp } = response.data as {
        notice?: Parameters<typeof addNotice>[0]; redirectUrl?: string; stepUp?: { loginPath: string };
      };
      if (notice) addNotice(notice);
      // Step-up: the sign-in is too old for this action. The login page (outside this single-page app: a full load)
      // says so, and brings the admin back to this page after signing in.
      if (stepUp) {
        window.location.assign(stepUp.loginPath);
        return;
      }
      if (redirectUrl) {
        // The list refreshes on a new location; drop recordIds like AdminJS's own bulk delete does.
        const search = new URLSearchParams(window.location.search);
        search.delete('recordIds');
        search.set('refresh', 'true');
        navigate(`${redirectUrl}?${search.toString()}`);
      }
    } catch (error) {
      const notice = (error as { response?: { data?: { notice?: Parameters<typeof addNotice>[0] } } }).response?.data?.notice;
      addNotice(notice ?? { message: 'singleSessionRequestFailed', type: 'error', resourceId: resource.id });
    } finally {
      setSending(false);
    }
  };

  return (
    <>
      <DrawerContent data-css="single-session-confirmation">
        {action.showInDrawer ? <ActionHeader omitActions {...props} /> : null}
        <Text mb="lg">
          {record && !records ? t('singleSessionRecordIntro', { title: record.title }) : t('singleSessionConfirmIntro')}
        </Text>
        {selfAmongThem ? <MessageBox mb="lg" variant="warning" message={t('singleSessionSelfWarning')} /> : null}
        {affected.length === 0 ? <MessageBox mb="lg" variant="info" message={t('singleSessionNothingToDo')} /> : null}
        <Table data-css="single-session-targets">
          <TableHead>
            <TableRow>
              <TableCell>{t('singleSessionColumnUser')}</TableCell>
              <TableCell>{t('singleSessionColumnOutcome')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {targets.map((target) => {
              const outcome = target.singleSession?.outcome ?? 'logout';
              return (
                <TableRow key={target.id} data-outcome={outcome}>
                  <TableCell style={{ whiteSpace: 'nowrap' }}>
                    <Box flex flexDirection="row" alignItems="center">
                      <Text>{target.title}</Text>
                      {target.singleSession?.isAdmin ? <Badge ml="sm" size="sm" variant="primary">{t('singleSessionAdminBadge')}</Badge> : null}
                      {target.singleSession?.isSelf ? <Badge ml="sm" size="sm" variant="info">{t('singleSessionYouBadge')}</Badge> : null}
                    </Box>
                  </TableCell>
                  <TableCell>
                    <Text variant="sm" color={OUTCOME_COLOR[outcome]}>
                      {t(OUTCOME_TEXT[outcome], { permission: target.singleSession?.permission })}
                    </Text>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </DrawerContent>
      <DrawerFooter>
        <Button variant="contained" color="danger" size="lg" onClick={confirm} disabled={sending || affected.length === 0} data-testid="single-session-confirm">
          {sending ? <Icon icon="Loader" spin /> : <Icon icon="LogOut" />}
          {translateButton('singleSessionConfirm', resource.id)}
        </Button>
      </DrawerFooter>
    </>
  );
};

export default LogoutConfirmation;
