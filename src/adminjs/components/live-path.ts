/** Where the guarded AdminJS router serves the panel's live sign-out stream, under AdminJS's rootPath. */
export const PANEL_LIVE_PATH = '/single-session/live';
