/**
 * "End" on one session, from the sessions panel or "My sessions": a dialog shows the server's preview of that
 * session (the same confirmation as every other ending, ConfirmationBody), and only its confirm button asks the
 * server to end it. Each page says how to ask its server (`preview`, `end`); the server checks everything again.
 */
import React, { useState } from 'react';
import { Box, Button, Icon, Modal, Text } from '@adminjs/design-system';
import { useNotice, useTranslation } from 'adminjs';
import { ConfirmationBody, ConfirmButton, ONE_SESSION_KEYS, type Target } from './Confirmation.js';
import type { Listed } from './SessionsTable.js';

type Notice = Parameters<ReturnType<typeof useNotice>>[0];

/** What a page's server answered: the preview's target, and/or a notice (a refusal, or the ending's outcome). */
export interface EndAnswer {
  target?: Target | null;
  notice?: Notice;
}

export interface EndSessionRequests {
  preview(session: Listed): Promise<EndAnswer>;
  end(session: Listed): Promise<EndAnswer>;
  /** After the ending (or a refusal): reload the list. */
  done(): void;
  resourceId?: string;
}

/** `start(session)` opens the dialog; render `dialog` somewhere on the page. */
export function useEndSession({ preview, end, done, resourceId }: EndSessionRequests): { start: (session: Listed) => void; dialog: React.ReactNode } {
  const { translateMessage, translateButton } = useTranslation();
  const addNotice = useNotice();
  const [open, setOpen] = useState<{ session: Listed; target: Target | null } | null>(null);
  const [sending, setSending] = useState(false);
  const t = (key: string, options?: Record<string, unknown>) => translateMessage(key, resourceId, options);
  const failed = () => addNotice({ message: translateMessage('singleSessionRequestFailed', resourceId), type: 'error' });

  const start = (session: Listed) => {
    setOpen({ session, target: null });
    preview(session).then(({ target, notice }) => {
      if (target) return setOpen({ session, target });
      setOpen(null);
      if (notice) addNotice(notice);
      return done();
    }, () => {
      setOpen(null);
      failed();
    });
  };

  const confirm = async () => {
    if (!open) return;
    setSending(true);
    try {
      const { notice } = await end(open.session);
      if (notice) addNotice(notice);
    } catch {
      failed();
    } finally {
      setSending(false);
      setOpen(null);
      done();
    }
  };

  const close = () => setOpen(null);
  const dialog = open ? (
    <Modal title={translateButton('singleSessionEndSession', resourceId)} onClose={close} onOverlayClick={close}>
      <Box data-css="single-session-end-dialog" style={{ minWidth: 480 }}>
        <Text mb="lg">{t('singleSessionEndOneIntro')}</Text>
        {open.target ? <ConfirmationBody targets={[open.target]} t={t} keys={ONE_SESSION_KEYS} /> : <Icon icon="Loader" spin />}
        <Box flex flexDirection="row" justifyContent="flex-end" mt="xl">
          <Button variant="outlined" mr="default" onClick={close} data-testid="single-session-end-cancel">
            {translateButton('singleSessionCancel', resourceId)}
          </Button>
          <ConfirmButton
            label={translateButton('singleSessionEndSession', resourceId)} sending={sending} onClick={confirm}
            testId="single-session-end-confirm" disabled={open.target?.singleSession?.outcome !== 'logout'}
          />
        </Box>
      </Box>
    </Modal>
  ) : null;
  return { start, dialog };
}
