import type { SingleSessionTranslations } from './en.js';

/** German. */
export const de: SingleSessionTranslations = {
  actions: {
    logoutUserOnAllSessions: 'Benutzer in allen Sitzungen abmelden',
    logoutAllUsersOnAllSessions: '(Admin-)Benutzer in allen Sitzungen abmelden',
    logoutOnAllSessions: 'In allen Sitzungen abmelden',
  },
  buttons: {
    singleSessionConfirm: 'In allen Sitzungen abmelden',
  },
  messages: {
    singleSessionConfirmIntro: 'Die ausgewählten Benutzer werden in allen ihren Sitzungen abgemeldet:',
    singleSessionRecordIntro: '{{title}} wird in allen Sitzungen abgemeldet.',
    singleSessionColumnUser: 'Benutzer',
    singleSessionColumnOutcome: 'Was passiert',
    singleSessionAdminBadge: 'Admin',
    singleSessionYouBadge: 'Sie',
    singleSessionOutcomeLogout: 'wird überall abgemeldet',
    singleSessionOutcomeSkippedAdmin: 'übersprungen: Admin-Benutzer (nur „(Admin-)Benutzer in allen Sitzungen abmelden“ betrifft Admins)',
    singleSessionOutcomeForbidden: 'nicht erlaubt: dies ist ein Admin-Benutzer und Ihnen fehlt die Berechtigung {{permission}}',
    singleSessionSelfWarning: 'Sie sind selbst unter den ausgewählten Benutzern: Ihre anderen Sitzungen enden, die aktuelle Sitzung bleibt erhalten.',
    singleSessionNothingToDo: 'Alle ausgewählten Benutzer werden übersprungen: Bestätigen ändert nichts.',
    singleSessionDone: 'Beendete Sitzungen: {{sessions}}. Abgemeldete Benutzer: {{users}}. Übersprungene Benutzer: {{skipped}}.',
    singleSessionDoneKeptOwn:
      'Beendete Sitzungen: {{sessions}}. Abgemeldete Benutzer: {{users}}. Übersprungene Benutzer: {{skipped}}. Ihre aktuelle Sitzung bleibt erhalten; Ihre anderen Sitzungen wurden beendet.',
    singleSessionNothingDone: 'Nichts wurde geändert: alle {{skipped}} ausgewählten Benutzer sind Admin-Benutzer, die diese Aktion überspringt.',
    singleSessionForbidden: 'Das dürfen Sie nicht: es erfordert die Berechtigung {{permission}}. Nichts wurde geändert.',
    singleSessionUnknownRecords: 'Einige ausgewählte Datensätze existieren nicht: {{ids}}. Nichts wurde geändert.',
    singleSessionInvalidIds: 'Die Auswahl enthält eine ungültige ID: {{id}}. Nichts wurde geändert.',
    singleSessionTooManyIds: 'Zu viele Datensätze ausgewählt: höchstens {{max}} auf einmal, erhalten {{count}}. Nichts wurde geändert.',
    singleSessionEmptySelection: 'Keine Datensätze ausgewählt. Nichts wurde geändert.',
    singleSessionUnknownResource: 'Es gibt keine Ressource „{{resourceId}}“.',
    singleSessionUnknownAction: 'Die Ressource „{{resourceId}}“ hat keine {{actionType}}-Aktion „{{actionName}}“.',
    singleSessionRequestFailed: 'Die Anfrage ist auf dem Server fehlgeschlagen. Bitte erneut versuchen.',
    singleSessionEndedReplaced: 'Sie wurden abgemeldet, weil sich Ihr Konto auf einem anderen Gerät angemeldet hat.',
    singleSessionEndedRevoked: 'Sie wurden von einem Administrator abgemeldet.',
    singleSessionLoginDenied: 'Dieses Konto ist bereits auf der maximalen Anzahl von Geräten angemeldet. Melden Sie sich zuerst auf einem davon ab.',
  },
};
