/**
 * The confirmation page of the actions that end sessions (the User feature's "Log out on all sessions", bulk and
 * record; the Sessions resource's "End sessions"). AdminJS GETs the action to render it (a preview: the server
 * marks each target with what will happen and how many live sessions end); only the confirm button POSTs, which
 * ends the sessions. Bundled by AdminJS from the host's ComponentLoader, so it imports only what AdminJS provides
 * globally (react, react-router, adminjs, @adminjs/design-system).
 */
import React, { useState } from 'react';
import { useNavigate } from 'react-router';
import { DrawerContent, DrawerFooter, Text } from '@adminjs/design-system';
import { ActionHeader, ApiClient, useNotice, useTranslation, type ActionProps } from 'adminjs';
import { ConfirmationBody, ConfirmButton, type Target } from './Confirmation.js';

const LogoutConfirmation: React.FC<ActionProps> = (props) => {
  const { resource, action, record, records } = props;
  const { translateMessage, translateButton } = useTranslation();
  const addNotice = useNotice();
  const navigate = useNavigate();
  const [sending, setSending] = useState(false);
  const targets = (records ?? (record ? [record] : [])) as Target[];
  const t = (key: string, options?: Record<string, unknown>) => translateMessage(key, resource.id, options);

  const confirm = async () => {
    setSending(true);
    const api = new ApiClient();
    try {
      const response = records
        // The ids in the body, not the query string: the server's header limit stays small (request-guard.ts).
        ? await api.bulkAction({ resourceId: resource.id, actionName: action.name, recordIds: [], data: { recordIds: targets.map((r) => r.id).join(',') } })
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
        <ConfirmationBody targets={targets} t={t} />
      </DrawerContent>
      <DrawerFooter>
        <ConfirmButton
          label={translateButton('singleSessionConfirm', resource.id)} sending={sending} onClick={confirm} testId="single-session-confirm" size="lg"
          disabled={!targets.some((target) => target.singleSession?.outcome === 'logout')}
        />
      </DrawerFooter>
    </>
  );
};

export default LogoutConfirmation;
