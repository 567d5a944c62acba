/**
 * Texts of the session pages (Sessions resource, the user's sessions panel, "My sessions", the audit resource) in
 * six languages, in three parts:
 * - `global`: keys that cannot clash with anything (exported as `sessionsTranslations`, to merge into the AdminJS
 *   `locale`); the "My sessions" page is not tied to a resource, so its texts must be in the locale;
 * - `sessions`: the Sessions resource's own wording of the feature's confirmation page (same keys, other texts)
 *   and its property names — resource-scoped only, or they would rename the User resource's texts;
 * - `audit`: the audit resource's property names (resource-scoped for the same reason).
 * Each resource also carries what it needs in its `translations`, so it speaks every language on its own.
 */
import type { ResourceOptions } from 'adminjs';

const en = {
  global: {
    actions: {
      endSession: 'End this session',
      endSessions: 'End the selected sessions',
    },
    buttons: {
      singleSessionLogoutOthers: 'Log out my other sessions',
    },
    labels: {
      ActiveSessions: 'Sessions',
      SessionAuditEvents: 'Session audit',
    },
    pages: {
      mySessions: 'My sessions',
    },
    properties: {
      singleSessionSessions: 'Active sessions',
    },
    messages: {
      singleSessionSessionsDone: 'Sessions ended: {{sessions}}.',
      singleSessionSessionsDoneKeptOwn: 'Sessions ended: {{sessions}}. The session you are using now was kept.',
      singleSessionColumnDevice: 'Device',
      singleSessionColumnIp: 'IP address',
      singleSessionColumnCreated: 'Signed in',
      singleSessionColumnLastSeen: 'Last seen',
      singleSessionThisDevice: 'this device',
      singleSessionUnknownDevice: 'unknown device',
      singleSessionNoSessions: 'No active sessions.',
      singleSessionMySessionsIntro: 'Your account is signed in on these devices. Log out the others if you do not recognise them or no longer use them.',
      singleSessionOthersEnded: 'Your other sessions ended: {{sessions}}. This one was kept.',
      singleSessionNoOtherSessions: 'You have no other sessions: nothing was changed.',
      singleSessionNotLinked: 'This sign-in is not linked to a user account, so there are no sessions to show.',
      singleSessionSessionsUnavailable: 'The sessions could not be loaded.',
      singleSessionBadUserFilter: 'There is no user with the id “{{id}}”.',
    },
  },
  sessions: {
    buttons: {
      singleSessionConfirm: 'End sessions',
    },
    messages: {
      singleSessionConfirmIntro: 'The selected sessions will end; their browsers will be signed out:',
      singleSessionRecordIntro: 'The session {{title}} will end; its browser will be signed out.',
      singleSessionColumnUser: 'Session',
      singleSessionOutcomeLogout: 'will end',
      singleSessionOutcomeForbidden: 'not allowed: this is an admin user’s session and you lack the permission {{permission}}',
      singleSessionSelfWarning: 'The session you are using now is among the selected: it is kept, the others end.',
      singleSessionNothingToDo: 'None of the selected sessions can be ended.',
      singleSessionYouBadge: 'current session',
    },
    properties: {
      id: 'Handle',
      userId: 'User',
      device: 'Device',
      browser: 'Browser',
      os: 'Operating system',
      ip: 'IP address',
      userAgent: 'User agent',
      createdAt: 'Signed in',
      lastSeenAt: 'Last seen',
      expires: 'Expires',
    },
  },
  audit: {
    properties: {
      id: 'ID',
      at: 'When',
      reason: 'Reason',
      actorId: 'By (user id)',
      userIds: 'Users (ids)',
      sessionCount: 'Sessions ended',
    },
  },
};

type Texts = { [Part in keyof typeof en]: { [Block in keyof (typeof en)[Part]]: { [Key in keyof (typeof en)[Part][Block]]: string } } };

const nl: Texts = {
  global: {
    actions: { endSession: 'Deze sessie beëindigen', endSessions: 'Geselecteerde sessies beëindigen' },
    buttons: { singleSessionLogoutOthers: 'Mijn andere sessies uitloggen' },
    labels: { ActiveSessions: 'Sessies', SessionAuditEvents: 'Sessie-audit' },
    pages: { mySessions: 'Mijn sessies' },
    properties: { singleSessionSessions: 'Actieve sessies' },
    messages: {
      singleSessionSessionsDone: 'Beëindigde sessies: {{sessions}}.',
      singleSessionSessionsDoneKeptOwn: 'Beëindigde sessies: {{sessions}}. De sessie die u nu gebruikt is behouden.',
      singleSessionColumnDevice: 'Apparaat',
      singleSessionColumnIp: 'IP-adres',
      singleSessionColumnCreated: 'Ingelogd',
      singleSessionColumnLastSeen: 'Laatst gezien',
      singleSessionThisDevice: 'dit apparaat',
      singleSessionUnknownDevice: 'onbekend apparaat',
      singleSessionNoSessions: 'Geen actieve sessies.',
      singleSessionMySessionsIntro: 'Uw account is op deze apparaten ingelogd. Log de andere uit als u ze niet herkent of niet meer gebruikt.',
      singleSessionOthersEnded: 'Uw andere sessies zijn beëindigd: {{sessions}}. Deze is behouden.',
      singleSessionNoOtherSessions: 'U hebt geen andere sessies: er is niets gewijzigd.',
      singleSessionNotLinked: 'Deze aanmelding is niet aan een gebruikersaccount gekoppeld, dus er zijn geen sessies om te tonen.',
      singleSessionSessionsUnavailable: 'De sessies konden niet worden geladen.',
      singleSessionBadUserFilter: 'Er is geen gebruiker met het id “{{id}}”.',
    },
  },
  sessions: {
    buttons: { singleSessionConfirm: 'Sessies beëindigen' },
    messages: {
      singleSessionConfirmIntro: 'De geselecteerde sessies worden beëindigd; hun browsers worden uitgelogd:',
      singleSessionRecordIntro: 'De sessie {{title}} wordt beëindigd; de browser wordt uitgelogd.',
      singleSessionColumnUser: 'Sessie',
      singleSessionOutcomeLogout: 'wordt beëindigd',
      singleSessionOutcomeForbidden: 'niet toegestaan: dit is de sessie van een admin-gebruiker en u mist de rechten {{permission}}',
      singleSessionSelfWarning: 'De sessie die u nu gebruikt is geselecteerd: die blijft behouden, de andere worden beëindigd.',
      singleSessionNothingToDo: 'Geen van de geselecteerde sessies kan worden beëindigd.',
      singleSessionYouBadge: 'huidige sessie',
    },
    properties: {
      id: 'Kenmerk', userId: 'Gebruiker', device: 'Apparaat', browser: 'Browser', os: 'Besturingssysteem', ip: 'IP-adres',
      userAgent: 'User-agent', createdAt: 'Ingelogd', lastSeenAt: 'Laatst gezien', expires: 'Verloopt',
    },
  },
  audit: {
    properties: { id: 'ID', at: 'Wanneer', reason: 'Reden', actorId: 'Door (gebruikers-id)', userIds: 'Gebruikers (id’s)', sessionCount: 'Beëindigde sessies' },
  },
};

const de: Texts = {
  global: {
    actions: { endSession: 'Diese Sitzung beenden', endSessions: 'Ausgewählte Sitzungen beenden' },
    buttons: { singleSessionLogoutOthers: 'Meine anderen Sitzungen abmelden' },
    labels: { ActiveSessions: 'Sitzungen', SessionAuditEvents: 'Sitzungsprotokoll' },
    pages: { mySessions: 'Meine Sitzungen' },
    properties: { singleSessionSessions: 'Aktive Sitzungen' },
    messages: {
      singleSessionSessionsDone: 'Beendete Sitzungen: {{sessions}}.',
      singleSessionSessionsDoneKeptOwn: 'Beendete Sitzungen: {{sessions}}. Die Sitzung, die Sie gerade verwenden, bleibt erhalten.',
      singleSessionColumnDevice: 'Gerät',
      singleSessionColumnIp: 'IP-Adresse',
      singleSessionColumnCreated: 'Angemeldet',
      singleSessionColumnLastSeen: 'Zuletzt gesehen',
      singleSessionThisDevice: 'dieses Gerät',
      singleSessionUnknownDevice: 'unbekanntes Gerät',
      singleSessionNoSessions: 'Keine aktiven Sitzungen.',
      singleSessionMySessionsIntro: 'Ihr Konto ist auf diesen Geräten angemeldet. Melden Sie die anderen ab, wenn Sie sie nicht kennen oder nicht mehr verwenden.',
      singleSessionOthersEnded: 'Ihre anderen Sitzungen wurden beendet: {{sessions}}. Diese bleibt erhalten.',
      singleSessionNoOtherSessions: 'Sie haben keine anderen Sitzungen: nichts wurde geändert.',
      singleSessionNotLinked: 'Diese Anmeldung ist mit keinem Benutzerkonto verknüpft, daher gibt es keine Sitzungen anzuzeigen.',
      singleSessionSessionsUnavailable: 'Die Sitzungen konnten nicht geladen werden.',
      singleSessionBadUserFilter: 'Es gibt keinen Benutzer mit der ID „{{id}}“.',
    },
  },
  sessions: {
    buttons: { singleSessionConfirm: 'Sitzungen beenden' },
    messages: {
      singleSessionConfirmIntro: 'Die ausgewählten Sitzungen werden beendet; ihre Browser werden abgemeldet:',
      singleSessionRecordIntro: 'Die Sitzung {{title}} wird beendet; ihr Browser wird abgemeldet.',
      singleSessionColumnUser: 'Sitzung',
      singleSessionOutcomeLogout: 'wird beendet',
      singleSessionOutcomeForbidden: 'nicht erlaubt: dies ist die Sitzung eines Admin-Benutzers und Ihnen fehlt die Berechtigung {{permission}}',
      singleSessionSelfWarning: 'Die Sitzung, die Sie gerade verwenden, ist ausgewählt: sie bleibt erhalten, die anderen enden.',
      singleSessionNothingToDo: 'Keine der ausgewählten Sitzungen kann beendet werden.',
      singleSessionYouBadge: 'aktuelle Sitzung',
    },
    properties: {
      id: 'Kennung', userId: 'Benutzer', device: 'Gerät', browser: 'Browser', os: 'Betriebssystem', ip: 'IP-Adresse',
      userAgent: 'User-Agent', createdAt: 'Angemeldet', lastSeenAt: 'Zuletzt gesehen', expires: 'Läuft ab',
    },
  },
  audit: {
    properties: { id: 'ID', at: 'Wann', reason: 'Grund', actorId: 'Durch (Benutzer-ID)', userIds: 'Benutzer (IDs)', sessionCount: 'Beendete Sitzungen' },
  },
};

const fr: Texts = {
  global: {
    actions: { endSession: 'Mettre fin à cette session', endSessions: 'Mettre fin aux sessions sélectionnées' },
    buttons: { singleSessionLogoutOthers: 'Déconnecter mes autres sessions' },
    labels: { ActiveSessions: 'Sessions', SessionAuditEvents: 'Journal des sessions' },
    pages: { mySessions: 'Mes sessions' },
    properties: { singleSessionSessions: 'Sessions actives' },
    messages: {
      singleSessionSessionsDone: 'Sessions terminées : {{sessions}}.',
      singleSessionSessionsDoneKeptOwn: 'Sessions terminées : {{sessions}}. La session que vous utilisez a été conservée.',
      singleSessionColumnDevice: 'Appareil',
      singleSessionColumnIp: 'Adresse IP',
      singleSessionColumnCreated: 'Connexion',
      singleSessionColumnLastSeen: 'Dernière activité',
      singleSessionThisDevice: 'cet appareil',
      singleSessionUnknownDevice: 'appareil inconnu',
      singleSessionNoSessions: 'Aucune session active.',
      singleSessionMySessionsIntro: 'Votre compte est connecté sur ces appareils. Déconnectez les autres si vous ne les reconnaissez pas ou ne les utilisez plus.',
      singleSessionOthersEnded: 'Vos autres sessions sont terminées : {{sessions}}. Celle-ci a été conservée.',
      singleSessionNoOtherSessions: 'Vous n’avez pas d’autre session : rien n’a été modifié.',
      singleSessionNotLinked: 'Cette connexion n’est liée à aucun compte utilisateur : il n’y a pas de session à afficher.',
      singleSessionSessionsUnavailable: 'Les sessions n’ont pas pu être chargées.',
      singleSessionBadUserFilter: 'Aucun utilisateur n’a l’identifiant « {{id}} ».',
    },
  },
  sessions: {
    buttons: { singleSessionConfirm: 'Mettre fin aux sessions' },
    messages: {
      singleSessionConfirmIntro: 'Les sessions sélectionnées vont prendre fin ; leurs navigateurs seront déconnectés :',
      singleSessionRecordIntro: 'La session {{title}} va prendre fin ; son navigateur sera déconnecté.',
      singleSessionColumnUser: 'Session',
      singleSessionOutcomeLogout: 'prendra fin',
      singleSessionOutcomeForbidden: 'non autorisé : c’est la session d’un utilisateur admin et il vous manque la permission {{permission}}',
      singleSessionSelfWarning: 'La session que vous utilisez fait partie de la sélection : elle est conservée, les autres prennent fin.',
      singleSessionNothingToDo: 'Aucune des sessions sélectionnées ne peut être terminée.',
      singleSessionYouBadge: 'session actuelle',
    },
    properties: {
      id: 'Identifiant', userId: 'Utilisateur', device: 'Appareil', browser: 'Navigateur', os: 'Système d’exploitation', ip: 'Adresse IP',
      userAgent: 'User-agent', createdAt: 'Connexion', lastSeenAt: 'Dernière activité', expires: 'Expire',
    },
  },
  audit: {
    properties: { id: 'ID', at: 'Quand', reason: 'Motif', actorId: 'Par (id utilisateur)', userIds: 'Utilisateurs (ids)', sessionCount: 'Sessions terminées' },
  },
};

const es: Texts = {
  global: {
    actions: { endSession: 'Cerrar esta sesión', endSessions: 'Cerrar las sesiones seleccionadas' },
    buttons: { singleSessionLogoutOthers: 'Cerrar mis otras sesiones' },
    labels: { ActiveSessions: 'Sesiones', SessionAuditEvents: 'Auditoría de sesiones' },
    pages: { mySessions: 'Mis sesiones' },
    properties: { singleSessionSessions: 'Sesiones activas' },
    messages: {
      singleSessionSessionsDone: 'Sesiones cerradas: {{sessions}}.',
      singleSessionSessionsDoneKeptOwn: 'Sesiones cerradas: {{sessions}}. Se ha conservado la sesión que está usando.',
      singleSessionColumnDevice: 'Dispositivo',
      singleSessionColumnIp: 'Dirección IP',
      singleSessionColumnCreated: 'Inicio de sesión',
      singleSessionColumnLastSeen: 'Última actividad',
      singleSessionThisDevice: 'este dispositivo',
      singleSessionUnknownDevice: 'dispositivo desconocido',
      singleSessionNoSessions: 'No hay sesiones activas.',
      singleSessionMySessionsIntro: 'Su cuenta tiene la sesión iniciada en estos dispositivos. Cierre las demás si no las reconoce o ya no las usa.',
      singleSessionOthersEnded: 'Sus otras sesiones se han cerrado: {{sessions}}. Esta se ha conservado.',
      singleSessionNoOtherSessions: 'No tiene otras sesiones: no se ha cambiado nada.',
      singleSessionNotLinked: 'Este inicio de sesión no está vinculado a una cuenta de usuario, así que no hay sesiones que mostrar.',
      singleSessionSessionsUnavailable: 'No se pudieron cargar las sesiones.',
      singleSessionBadUserFilter: 'No hay ningún usuario con el id «{{id}}».',
    },
  },
  sessions: {
    buttons: { singleSessionConfirm: 'Cerrar sesiones' },
    messages: {
      singleSessionConfirmIntro: 'Las sesiones seleccionadas se cerrarán; sus navegadores quedarán desconectados:',
      singleSessionRecordIntro: 'La sesión {{title}} se cerrará; su navegador quedará desconectado.',
      singleSessionColumnUser: 'Sesión',
      singleSessionOutcomeLogout: 'se cerrará',
      singleSessionOutcomeForbidden: 'no permitido: es la sesión de un usuario admin y le falta el permiso {{permission}}',
      singleSessionSelfWarning: 'La sesión que está usando está entre las seleccionadas: se conserva, las demás se cierran.',
      singleSessionNothingToDo: 'Ninguna de las sesiones seleccionadas se puede cerrar.',
      singleSessionYouBadge: 'sesión actual',
    },
    properties: {
      id: 'Identificador', userId: 'Usuario', device: 'Dispositivo', browser: 'Navegador', os: 'Sistema operativo', ip: 'Dirección IP',
      userAgent: 'Agente de usuario', createdAt: 'Inicio de sesión', lastSeenAt: 'Última actividad', expires: 'Caduca',
    },
  },
  audit: {
    properties: { id: 'ID', at: 'Cuándo', reason: 'Motivo', actorId: 'Por (id de usuario)', userIds: 'Usuarios (ids)', sessionCount: 'Sesiones cerradas' },
  },
};

const pl: Texts = {
  global: {
    actions: { endSession: 'Zakończ tę sesję', endSessions: 'Zakończ wybrane sesje' },
    buttons: { singleSessionLogoutOthers: 'Wyloguj moje pozostałe sesje' },
    labels: { ActiveSessions: 'Sesje', SessionAuditEvents: 'Dziennik sesji' },
    pages: { mySessions: 'Moje sesje' },
    properties: { singleSessionSessions: 'Aktywne sesje' },
    messages: {
      singleSessionSessionsDone: 'Zakończone sesje: {{sessions}}.',
      singleSessionSessionsDoneKeptOwn: 'Zakończone sesje: {{sessions}}. Sesja, której teraz używasz, została zachowana.',
      singleSessionColumnDevice: 'Urządzenie',
      singleSessionColumnIp: 'Adres IP',
      singleSessionColumnCreated: 'Zalogowano',
      singleSessionColumnLastSeen: 'Ostatnio widziano',
      singleSessionThisDevice: 'to urządzenie',
      singleSessionUnknownDevice: 'nieznane urządzenie',
      singleSessionNoSessions: 'Brak aktywnych sesji.',
      singleSessionMySessionsIntro: 'Twoje konto jest zalogowane na tych urządzeniach. Wyloguj pozostałe, jeśli ich nie rozpoznajesz lub już z nich nie korzystasz.',
      singleSessionOthersEnded: 'Twoje pozostałe sesje zostały zakończone: {{sessions}}. Ta została zachowana.',
      singleSessionNoOtherSessions: 'Nie masz innych sesji: nic nie zmieniono.',
      singleSessionNotLinked: 'To logowanie nie jest powiązane z kontem użytkownika, więc nie ma sesji do pokazania.',
      singleSessionSessionsUnavailable: 'Nie udało się wczytać sesji.',
      singleSessionBadUserFilter: 'Nie ma użytkownika o identyfikatorze „{{id}}”.',
    },
  },
  sessions: {
    buttons: { singleSessionConfirm: 'Zakończ sesje' },
    messages: {
      singleSessionConfirmIntro: 'Wybrane sesje zostaną zakończone, a ich przeglądarki wylogowane:',
      singleSessionRecordIntro: 'Sesja {{title}} zostanie zakończona, a jej przeglądarka wylogowana.',
      singleSessionColumnUser: 'Sesja',
      singleSessionOutcomeLogout: 'zostanie zakończona',
      singleSessionOutcomeForbidden: 'niedozwolone: to sesja użytkownika admin, a brakuje Ci uprawnienia {{permission}}',
      singleSessionSelfWarning: 'Sesja, której teraz używasz, jest wśród wybranych: zostanie zachowana, pozostałe zostaną zakończone.',
      singleSessionNothingToDo: 'Żadnej z wybranych sesji nie można zakończyć.',
      singleSessionYouBadge: 'bieżąca sesja',
    },
    properties: {
      id: 'Identyfikator', userId: 'Użytkownik', device: 'Urządzenie', browser: 'Przeglądarka', os: 'System operacyjny', ip: 'Adres IP',
      userAgent: 'Agent użytkownika', createdAt: 'Zalogowano', lastSeenAt: 'Ostatnio widziano', expires: 'Wygasa',
    },
  },
  audit: {
    properties: { id: 'ID', at: 'Kiedy', reason: 'Powód', actorId: 'Przez (id użytkownika)', userIds: 'Użytkownicy (id)', sessionCount: 'Zakończone sesje' },
  },
};

export type Language = 'en' | 'nl' | 'de' | 'fr' | 'es' | 'pl';
const ALL: Record<Language, Texts> = { en, nl, de, fr, es, pl };

export type SessionsTranslations = Texts['global'];

/**
 * The global texts (actions, buttons, labels, pages, properties, messages) per language, for the AdminJS
 * `locale.translations`; `withSingleSessionTranslations()` includes them. Needed by the "My sessions" page, which
 * belongs to no resource.
 */
export const sessionsTranslations = Object.fromEntries(
  Object.entries(ALL).map(([language, texts]) => [language, texts.global]),
) as Record<Language, SessionsTranslations>;

type Translations = NonNullable<ResourceOptions['translations']>;
type Block = Record<string, Record<string, string>>;

/** Per language, the blocks of `parts` merged (later parts win), then the host's blocks on top (the host wins). */
export function resourceTranslations(parts: ReadonlyArray<'global' | 'sessions' | 'audit'>, host: Translations = {}): Translations {
  const out: Record<string, Block> = {};
  const add = (language: string, blocks: object) => {
    const target = (out[language] ??= {});
    for (const [name, block] of Object.entries(blocks as Block)) target[name] = { ...target[name], ...block };
  };
  for (const [language, texts] of Object.entries(ALL)) for (const part of parts) add(language, texts[part]);
  for (const [language, blocks] of Object.entries(host)) add(language, blocks ?? {});
  return out as Translations;
}
