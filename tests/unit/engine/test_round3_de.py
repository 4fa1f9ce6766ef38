"""German news genre rules of engine round 3 (issue 7): modality, nominal passives,
compounds that name an object, reported decisions, findings, orders, regulator names.
Every sentence here is our own, written for the rule it checks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from newsline_engine import Extraction

from .conftest import events_of

Run = Callable[..., Extraction]
DAY = datetime(2025, 6, 12, 8, 0, tzinfo=UTC)  # a Thursday


def _types(result: Extraction) -> set[tuple[str, str]]:
    return {(e.type, e.actors[0].slug) for e in result.events}


# -- modality -------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Siemens soll angeblich die Gründung einer eigenen Chipfirma geplant haben.",
    "Siemens soll im Frühjahr eine eigene Chipfirma gegründet haben.",
])
def test_alleged_acts_are_no_events(run: Run, text: str) -> None:
    assert not events_of(run(text, "de", DAY), "other", "siemens")


def test_an_approval_still_to_come_is_no_policy(run: Run) -> None:
    text = ("SAP will die Softwarefirma Nexora übernehmen. Der Kauf muss noch von der "
            "EU-Kommission genehmigt werden.")
    assert not events_of(run(text, "de", DAY), "policy", "eu-commission")


def test_a_penalty_risked_is_no_fine(run: Run) -> None:
    text = ("Die Bundesnetzagentur verpflichtet Vodafone, das Netz bis Juni auszubauen; "
            "andernfalls riskiert der Konzern ein Zwangsgeld.")
    assert not [e for e in run(text, "de", DAY).events if e.subtype == "fine"]


def test_separable_and_zu_infinitive_triggers(run: Run) -> None:
    result = run("Bayer schreibt im zweiten Quartal 2,5 Milliarden Euro ab. Der Bundesgerichtshof "
                 "wies die Revision von Meta am Dienstag ab. Microsoft kündigte an, den Dienst "
                 "Skype im Mai einzustellen. Siemens kündigte an, 5000 Stellen abzubauen.",
                 "de", DAY)
    assert [e for e in events_of(result, "other", "bayer") if e.subtype == "charge"]
    assert events_of(result, "policy", "bgh")
    assert events_of(result, "access_block", "microsoft")
    assert [e for e in events_of(result, "other", "siemens") if e.subtype == "layoffs"]


def test_stopping_production_is_a_restructuring_not_a_shutdown(run: Run) -> None:
    result = run("Bosch stellt die Fertigung von Heizungen in Wernau zum Jahresende ein.",
                 "de", DAY)
    assert events_of(result, "other", "bosch")
    assert not events_of(result, "access_block", "bosch")
    service = run("Google stellt seinen Dienst Google Podcasts zum 2. April ein.", "de", DAY)
    assert events_of(service, "access_block", "google")


def test_layoffs_entlaesst_and_a_postponed_launch(run: Run) -> None:
    assert events_of(run("Amazon entlässt weitere 9000 Mitarbeiter.", "de", DAY), "other",
                     "amazon")
    late = run("Meta hat den Start von Threads in der EU verschoben.", "de", DAY)
    assert events_of(late, "access_restriction", "meta")


def test_a_partnership_closed_is_no_shutdown(run: Run) -> None:
    result = run("Die Deutsche Telekom und SAP haben eine Partnerschaft geschlossen.", "de", DAY)
    assert events_of(result, "partnership", "sap")
    assert not events_of(result, "access_block", "sap")
    site = run("Bosch hat sein Werk in Bamberg am Freitag geschlossen.", "de", DAY)
    assert events_of(site, "access_block", "bosch") or events_of(site, "other", "bosch")


def test_an_apparent_plan_is_no_event(run: Run) -> None:
    text = "Die Bundesregierung plant offenbar ein Verbot von Komponenten aus China."
    assert not events_of(run(text, "de", DAY), "policy", "bundesregierung")


def test_a_plan_with_soll_and_a_date_stays_an_event(run: Run) -> None:
    text = ("Die Bundesregierung hat ein Gesetz beschlossen, das am 1. Januar 2026 in Kraft "
            "treten soll.")
    assert events_of(run(text, "de", DAY), "policy", "bundesregierung")


# -- subjects ----------------------------------------------------------------------------

def test_nominal_passive_the_buyer_acts(run: Run) -> None:
    text = ("Die Übernahme des Leipziger Softwarehauses Nexora durch den amerikanischen "
            "Konzern Microsoft ist am Montag abgeschlossen worden.")
    result = run(text, "de", DAY)
    assert events_of(result, "partnership", "microsoft")
    assert not events_of(result, "partnership", "nexora")


@pytest.mark.parametrize("text", [
    "Die Übernahme von Nexora durch Microsoft ist seit Montag abgeschlossen.",
    "Nach dem Kauf des Start-ups Nexora durch den Konzern Microsoft ist der Zukauf abgeschlossen.",
])
def test_nominal_passive_without_a_passive_verb(run: Run, text: str) -> None:
    result = run(text, "de", DAY)
    assert events_of(result, "partnership", "microsoft")
    assert not events_of(result, "partnership", "nexora")


def test_an_authority_examining_a_takeover_acts(run: Run) -> None:
    text = "Das Bundeskartellamt prüft derzeit den Kauf von Nexora durch den Konzern Siemens."
    result = run(text, "de", DAY)
    assert events_of(result, "other", "bundeskartellamt")
    assert not events_of(result, "other", "siemens")


def test_an_approval_of_a_takeover_stays_the_authority_s(run: Run) -> None:
    text = ("Die EU-Kommission hat die Übernahme von Nexora durch den Konzern Siemens "
            "am Mittwoch genehmigt.")
    assert events_of(run(text, "de", DAY), "policy", "eu-commission")


@pytest.mark.parametrize("compound", ["Nvidia-Deal", "Nvidia-Aktie"])
def test_a_compound_naming_an_object_is_no_subject(run: Run, compound: str) -> None:
    text = f"Nach dem {compound} hat Microsoft am Dienstag eine Partnerschaft mit AMD vereinbart."
    result = run(text, "de", DAY)
    assert not events_of(result, "partnership", "nvidia")
    assert events_of(result, "partnership", "microsoft")


def test_glued_sentences_are_no_web_address(run: Run) -> None:
    text = ("Der Markt für Rechenzentren wächst in Europa.SAP hat am Montag eine "
            "Partnerschaft mit Nvidia geschlossen.")
    assert events_of(run(text, "de", DAY), "partnership", "sap")


def test_a_founded_company_described_refers_back(run: Run) -> None:
    text = ("Mistral AI hat am Montag ein neues Sprachmodell vorgestellt. Das 2023 in Paris "
            "gegründete Unternehmen beschäftigt rund 700 Menschen.")
    founding = events_of(run(text, "de", DAY), "other", "mistral-ai")
    assert founding and founding[0].date.year == 2023


# -- event types -----------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Die Preise sollen ab Juli steigen, wie das Unternehmen am Mittwoch mitteilte.",
    "SAP will 2000 Stellen streichen, wie der Softwarekonzern mitteilte.",
])
def test_a_decision_reported_wie_x_mitteilte_is_announced(run: Run, text: str) -> None:
    result = run(f"SAP hat gestern Zahlen vorgelegt. {text}", "de", DAY)
    assert events_of(result, "announcement", "sap")


def test_agreement_reached_verstaendigt(run: Run) -> None:
    text = "Meta hat sich mit der EU-Kommission auf neue Regeln für Werbung verständigt."
    assert events_of(run(text, "de", DAY), "announcement", "meta")


def test_board_backs_a_bid(run: Run) -> None:
    text = "Der Vorstand der Software AG stellte sich am Freitag hinter das Angebot von SAP."
    assert events_of(run(text, "de", DAY), "announcement", "software-ag")


def test_welcoming_another_s_decision_is_a_reply_not_a_policy(run: Run) -> None:
    text = ("Die Bundesnetzagentur begrüßte am Dienstag die Entscheidung von Vodafone, das Netz "
            "auszubauen.")
    result = run(text, "de", DAY)
    assert events_of(result, "announcement", "bundesnetzagentur")
    assert not events_of(result, "policy", "bundesnetzagentur")


def test_a_general_welcome_is_no_event(run: Run) -> None:
    text = "Konzerne wie SAP und Siemens begrüßten die neuen Regeln als Fortschritt."
    assert not events_of(run(text, "de", DAY), "announcement", "sap")


def test_exposed_to_competition_is_no_suspension(run: Run) -> None:
    text = ("Der neue Konzern bleibe in Europa einem harten Wettbewerb mit Herstellern wie "
            "Ford und Toyota ausgesetzt, sagte Siemens.")
    result = run(text, "de", DAY)
    assert not events_of(result, "access_block", "ford")
    assert not events_of(result, "access_block", "siemens")


def test_a_suspension_still_counts(run: Run) -> None:
    text = "Tesla hat die Auslieferungen in Deutschland am Montag vorübergehend ausgesetzt."
    assert events_of(run(text, "de", DAY), "access_block", "tesla")


def test_a_cooperation_partner_is_no_partnership(run: Run) -> None:
    text = ("Der Vorstand des Microsoft-Kooperationspartners OpenAI hat am Freitag den Chef "
            "entlassen.")
    assert not events_of(run(text, "de", DAY), "partnership", "openai")


def test_a_regulator_s_findings_are_an_investigation(run: Run) -> None:
    text = ("Die BaFin hat bei ihrer Prüfung des Jahresabschlusses der Wirecard AG zwei "
            "Bilanzierungsfehler festgestellt.")
    assert events_of(run(text, "de", DAY), "other", "bafin")


def test_a_heading_names_its_topic_before_the_colon(run: Run) -> None:
    text = "Wirecard AG: BaFin stellt am Montag weitere Bilanzierungsfehler im Abschluss fest"
    result = run(text + ".", "de", DAY)
    assert events_of(result, "other", "bafin")
    assert not events_of(result, "other", "wirecard")


def test_an_order_of_a_regulator_is_policy(run: Run) -> None:
    text = ("Die Bundesnetzagentur ordnete am 3. März 2025 ein Vergabeverfahren für die "
            "Frequenzen an.")
    events = events_of(run(text, "de", DAY), "policy", "bundesnetzagentur")
    assert events and str(events[0].date) == "2025-03-03"


@pytest.mark.parametrize("text", [
    "SAP wird im Zuge der Partnerschaft eine ungenannte Summe in das Start-up Nexora investieren.",
    "SAP investiert zudem in das Berliner Startup Nexora.",
])
def test_investing_in_a_startup_is_funding(run: Run, text: str) -> None:
    assert events_of(run(text, "de", DAY), "other", "sap")


def test_earnings_erzielte_with_an_amount(run: Run) -> None:
    text = "SAP erzielte im zweiten Quartal einen Umsatz von 8,3 Milliarden Euro."
    assert events_of(run(text, "de", DAY), "other", "sap")


def test_a_reported_decision_is_not_a_policy_when_referred_back(run: Run) -> None:
    text = ("Google hat seinen Dienst in Russland eingestellt. Dieser Entscheidung gingen "
            "lange Gespräche mit dem Bundeskartellamt voraus.")
    assert not events_of(run(text, "de", DAY), "policy", "bundeskartellamt")


@pytest.mark.parametrize(("text", "etype"), [
    ("Bei Intel sollen in Irland 500 Arbeitsplätze wegfallen, teilte der Konzern mit.", "other"),
    ("Intel hat in Magdeburg 3000 Stellen gestrichen.", "other"),
    ("Bosch hat am Dienstag die Übernahme des Sensorherstellers Nexora abgeschlossen.",
     "partnership"),
    ("Infolge der neuen Genehmigungspflicht für Chipexporte hat die Bundesregierung am "
     "Montag eine Verordnung erlassen.", "policy"),
])
def test_genre_triggers(run: Run, text: str, etype: str) -> None:
    slugs = {s for t, s in _types(run(text, "de", DAY)) if t == etype}
    assert slugs, (text, _types(run(text, "de", DAY)))


# -- one canonical actor per body ------------------------------------------------------

@pytest.mark.parametrize(("name", "slug"), [
    ("Das Kartellamt", "bundeskartellamt"),
    ("Die Netzagentur", "bundesnetzagentur"),
    ("Die EU-Wettbewerbshüter haben", "eu-commission"),
])
def test_short_names_of_authorities(run: Run, name: str, slug: str) -> None:
    text = f"{name} hat am Montag eine Geldbuße gegen die Deutsche Telekom verhängt."
    text = text.replace("haben hat", "haben")
    assert events_of(run(text, "de", DAY), "policy", slug)
