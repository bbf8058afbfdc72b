<?php
/**
 * Stringhe italiane dell'applicazione per il pacchetto Customer Journey: nomi dei moduli ed elenchi a discesa.
 * Le chiavi degli elenchi sono un contratto con il connettore; si possono cambiare solo le etichette (Studio).
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$app_list_strings['moduleList']['CJ_Journeys'] = 'Percorsi Cliente';
$app_list_strings['moduleList']['CJ_Touchpoints'] = 'Punti di contatto';
$app_list_strings['moduleListSingular']['CJ_Journeys'] = 'Percorso Cliente';
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
