<?php
/**
 * Stringhe italiane dell'applicazione per il pacchetto Customer Journey: nomi dei moduli ed elenchi a discesa.
 * Le chiavi degli elenchi sono un contratto con il connettore; si possono cambiare solo le etichette (Studio).
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$app_list_strings['moduleList']['CJ_Journeys'] = 'Percorsi Cliente';
$app_list_strings['moduleList']['CJ_Corrections'] = 'Correzioni dei percorsi';
$app_list_strings['moduleList']['CJ_Touchpoints'] = 'Punti di contatto';
$app_list_strings['moduleListSingular']['CJ_Journeys'] = 'Percorso Cliente';
$app_list_strings['moduleListSingular']['CJ_Corrections'] = 'Correzione del percorso';
$app_list_strings['moduleListSingular']['CJ_Touchpoints'] = 'Punto di contatto';

$app_list_strings['cj_stage_dom'] = array(
    'awareness' => 'Consapevolezza',
    'evaluation' => 'Valutazione',
    'decision' => 'Decisione',
    'purchase' => 'Acquisto',
    'loyalty' => 'Fidelizzazione',
);
$app_list_strings['cj_status_dom'] = array(
    'active' => 'Attivo',
    'won' => 'Vinto',
    'lost' => 'Perso',
    'stalled' => 'Fermo',
    'at_risk' => 'A rischio',
);
$app_list_strings['cj_channel_dom'] = array(
    'email' => 'E-mail',
    'phone' => 'Telefono',
    'meeting' => 'Riunione',
    'web' => 'Web',
    'social' => 'Social',
    'campaign' => 'Campagna',
    'event' => 'Evento',
    'store' => 'Negozio',
    'support' => 'Assistenza',
    'document' => 'Documento',
    'other' => 'Altro',
);
$app_list_strings['cj_phase_dom'] = array(
    'pre_purchase' => 'Pre-acquisto',
    'purchase' => 'Acquisto',
    'post_purchase' => 'Post-acquisto',
);
$app_list_strings['cj_mode_dom'] = array(
    'online' => 'Online',
    'offline' => 'Offline',
);
$app_list_strings['cj_managed_by_dom'] = array(
    'company' => 'Azienda',
    'third_party' => 'Terze parti',
);
$app_list_strings['cj_direction_dom'] = array(
    'inbound' => 'In entrata',
    'outbound' => 'In uscita',
    'none' => 'Nessuna',
);
// What a touchpoint can be corrected to: a stage, or not a touchpoint at all.
$app_list_strings['cj_correction_dom'] = array(
    'awareness' => 'Consapevolezza',
    'evaluation' => 'Valutazione',
    'decision' => 'Decisione',
    'purchase' => 'Acquisto',
    'loyalty' => 'Fidelizzazione',
    'not_a_touchpoint' => 'Non è un punto di contatto',
);
// Why the rules are unsure of a classification (empty: they are not).
$app_list_strings['cj_review_dom'] = array(
    '' => '',
    'conflict' => 'Conflitto',
    'keyword' => 'Solo parola chiave',
    'fallback' => 'Regola di riserva',
);
