<?php
/**
 * Etichette italiane di CJ_Corrections (campi, testi di aiuto, menu).
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$mod_strings = array(
    'LBL_MODULE_NAME' => 'Correzioni dei percorsi',
    'LBL_MODULE_TITLE' => 'Correzioni dei percorsi',
    'LBL_OBJECT_NAME' => 'Correzione del percorso',
    'LBL_LIST_FORM_TITLE' => 'Elenco Correzioni dei percorsi',
    'LBL_SEARCH_FORM_TITLE' => 'Cerca Correzioni dei percorsi',
    'LBL_HOMEPAGE_TITLE' => 'Le mie Correzioni dei percorsi',
    'LBL_NEW_FORM_TITLE' => 'Nuova Correzione del percorso',
    'LNK_NEW_RECORD' => 'Crea Correzione del percorso',
    'LNK_LIST' => 'Visualizza Correzioni dei percorsi',
    'LNK_REVIEW_LIST' => 'Punti di contatto da verificare',
    'LBL_ASSIGNED_TO_ID' => 'ID Utente Assegnato',
    'LBL_ASSIGNED_TO_NAME' => 'Assegnato a',
    'LBL_ASSIGNED_TO' => 'Assegnato a',
    'LBL_SECURITYGROUPS' => 'Gruppi di sicurezza',
    'LBL_ID' => 'ID',
    'LBL_DATE_ENTERED' => 'Data creazione',
    'LBL_DATE_MODIFIED' => 'Data modifica',
    'LBL_MODIFIED' => 'Modificato da',
    'LBL_MODIFIED_ID' => 'ID Modificato da',
    'LBL_MODIFIED_NAME' => 'Nome Modificato da',
    'LBL_CREATED' => 'Creato da',
    'LBL_CREATED_ID' => 'ID Creato da',
    'LBL_CREATED_USER' => 'Creato dall\'utente',
    'LBL_MODIFIED_USER' => 'Modificato dall\'utente',
    'LBL_DESCRIPTION' => 'Nota',
    'LBL_DELETED' => 'Eliminato',
    'LBL_NAME' => 'Punto di contatto',
    'LBL_LIST_NAME' => 'Punto di contatto',
    'LBL_EDIT_BUTTON' => 'Modifica',
    'LBL_REMOVE' => 'Rimuovi',
    'LBL_PANEL_OVERVIEW' => 'Panoramica',
    'LBL_PANEL_ASSIGNMENT' => 'Altro',

    'LBL_TOUCHPOINT_KEY' => 'Chiave del punto di contatto',
    'LBL_SOURCE_MODULE' => 'Modulo di origine',
    'LBL_SOURCE_ID' => 'ID record di origine',
    'LBL_SOURCE_RECORD' => 'Record di origine',
    'LBL_ACCOUNT' => 'Azienda',
    'LBL_ACCOUNT_ID' => 'ID Azienda',
    'LBL_ACCOUNT_NAME' => 'Azienda',
    'LBL_CONTACT' => 'Contatto',
    'LBL_CONTACT_ID' => 'ID Contatto',
    'LBL_CONTACT_NAME' => 'Contatto',
    'LBL_STAGE' => 'Fase corretta',
    'LBL_PREVIOUS_STAGE' => 'Fase data dalle regole',
    'LBL_RULE_ID' => 'Regola',
    'LBL_CORRECTED_BY' => 'Corretto da',
    'LBL_CORRECTED_BY_NAME' => 'Corretto da',
    'LBL_CORRECTED_AT' => 'Corretto il',

    'LBL_STAGE_HELP' => 'La fase a cui il punto di contatto appartiene davvero, oppure "Non è un punto di contatto" per lasciarlo fuori dal percorso. Prevale sulle regole dalla sincronizzazione successiva; eliminate questo record per tornare alle regole.',
    'LBL_TOUCHPOINT_KEY_HELP' => 'Il record corretto, nella forma <modulo>:<id> (per esempio Calls:1b2c...).',
    'LBL_RULE_ID_HELP' => 'La regola di mappatura che aveva assegnato la fase al punto di contatto.',
);
