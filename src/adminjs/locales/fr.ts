import type { SingleSessionTranslations } from './en.js';

/** French. */
export const fr: SingleSessionTranslations = {
  actions: {
    logoutUserOnAllSessions: 'Déconnecter l’utilisateur de toutes ses sessions',
    logoutAllUsersOnAllSessions: 'Déconnecter l’utilisateur (admin) de toutes ses sessions',
    logoutOnAllSessions: 'Déconnecter de toutes les sessions',
  },
  buttons: {
    singleSessionConfirm: 'Déconnecter de toutes les sessions',
  },
  messages: {
    singleSessionConfirmIntro: 'Les utilisateurs sélectionnés seront déconnectés de toutes leurs sessions :',
    singleSessionRecordIntro: '{{title}} sera déconnecté de toutes ses sessions.',
    singleSessionColumnUser: 'Utilisateur',
    singleSessionColumnOutcome: 'Ce qui se passe',
    singleSessionAdminBadge: 'admin',
    singleSessionYouBadge: 'vous',
    singleSessionOutcomeLogout: 'sera déconnecté partout',
    singleSessionOutcomeSkippedAdmin: 'ignoré : utilisateur admin (seule « Déconnecter l’utilisateur (admin) de toutes ses sessions » touche les admins)',
    singleSessionOutcomeForbidden: 'non autorisé : c’est un utilisateur admin et il vous manque la permission {{permission}}',
    singleSessionSelfWarning: 'Vous faites partie des utilisateurs sélectionnés : vos autres sessions prendront fin, celle que vous utilisez maintenant est conservée.',
    singleSessionNothingToDo: 'Tous les utilisateurs sélectionnés sont ignorés : confirmer ne change rien.',
    singleSessionDone: 'Sessions terminées : {{sessions}}. Utilisateurs déconnectés : {{users}}. Utilisateurs ignorés : {{skipped}}.',
    singleSessionDoneKeptOwn:
      'Sessions terminées : {{sessions}}. Utilisateurs déconnectés : {{users}}. Utilisateurs ignorés : {{skipped}}. Votre session actuelle est conservée ; vos autres sessions ont pris fin.',
    singleSessionNothingDone: 'Rien n’a été modifié : les {{skipped}} utilisateurs sélectionnés sont tous des admins, que cette action ignore.',
    singleSessionForbidden: 'Vous n’avez pas le droit de faire cela : il faut la permission {{permission}}. Rien n’a été modifié.',
    singleSessionUnknownRecords: 'Certains enregistrements sélectionnés n’existent pas : {{ids}}. Rien n’a été modifié.',
    singleSessionInvalidIds: 'La sélection contient un identifiant invalide : {{id}}. Rien n’a été modifié.',
    singleSessionTooManyIds: 'Trop d’enregistrements sélectionnés : au plus {{max}} à la fois, reçu {{count}}. Rien n’a été modifié.',
    singleSessionEmptySelection: 'Aucun enregistrement sélectionné. Rien n’a été modifié.',
    singleSessionUnknownResource: 'Il n’y a pas de ressource « {{resourceId}} ».',
    singleSessionUnknownAction: 'La ressource « {{resourceId}} » n’a pas d’action {{actionType}} « {{actionName}} ».',
    singleSessionRequestFailed: 'La requête a échoué sur le serveur. Veuillez réessayer.',
    singleSessionEndedReplaced: 'Vous avez été déconnecté parce que votre compte s’est connecté sur un autre appareil.',
    singleSessionEndedRevoked: 'Vous avez été déconnecté par un administrateur.',
    singleSessionLoginDenied: 'Ce compte est déjà connecté sur le nombre maximal d’appareils. Déconnectez-vous d’abord de l’un d’eux.',
  },
};
