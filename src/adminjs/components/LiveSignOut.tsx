/**
 * The panel's live sign-out: registered over AdminJS's `SidebarFooter` (rendered on every page of the signed-in
 * panel, and rendered here as it was). It opens the session's stream; when the server says the session ended, a
 * notice covers the page (its data is no longer shown) with the reason, then the browser goes to the login page,
 * which says the reason again (the server's end note). The server sends the notice's translation key with the
 * reason, so a reason added later needs no change here.
 */
import React, { useEffect, useState } from 'react';
import { Box, MessageBox, Text } from '@adminjs/design-system';
import { useTranslation, ViewHelpers } from 'adminjs';
import { PANEL_LIVE_PATH } from './live-path.js';

/** How long the notice shows before the login page. */
const NOTICE_MS = 2500;
const GENERIC = 'singleSessionEndedGeneric';

interface Props {
  OriginalComponent?: React.ComponentType<Record<string, unknown>>;
  [prop: string]: unknown;
}

export default function LiveSignOut({ OriginalComponent, ...props }: Props): React.ReactElement {
  const { translateMessage } = useTranslation();
  const [ended, setEnded] = useState<string | null>(null);

  useEffect(() => {
    const helpers = new ViewHelpers();
    const source = new EventSource(helpers.urlBuilder([PANEL_LIVE_PATH]));
    let timer: ReturnType<typeof setTimeout> | undefined;
    source.addEventListener('ended', (event) => {
      source.close();
      let message = GENERIC;
      try {
        message = (JSON.parse((event as MessageEvent<string>).data) as { message?: string }).message ?? GENERIC;
      } catch { /* the generic notice */ }
      setEnded(message);
      timer = setTimeout(() => window.location.assign(helpers.loginUrl()), NOTICE_MS);
    });
    return () => {
      source.close();
      clearTimeout(timer);
    };
  }, []);

  return (
    <>
      {OriginalComponent ? <OriginalComponent {...props} /> : null}
      {ended ? (
        <Box
          id="single-session-ended"
          role="alert"
          style={{ position: 'fixed', inset: 0, zIndex: 100000, background: '#fff', display: 'flex', alignItems: 'center', justifyContent: 'center' }}
        >
          <Box style={{ maxWidth: '36rem' }}>
            <MessageBox variant="danger" message={translateMessage(ended)}>
              <Text>{translateMessage('singleSessionLiveGoingToLogin')}</Text>
            </MessageBox>
          </Box>
        </Box>
      ) : null}
    </>
  );
}
