"""Who acts (issue 7 category 6, scope 3): descriptions and pronouns stand for the actor
named before, a person or a media outlet is not the subject of what their organisation
does or what they report, an unknown authority is recognised from its name. Own sentences."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from newsline_engine import Extraction

from .conftest import events_of

Run = Callable[..., Extraction]
WEDNESDAY = datetime(2025, 4, 9, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "lang", "etype", "slug", "bystanders"),
    [
        # The description stands after the verb: the named companies are its objects.
        ("The EU Commission met Apple in March.\nOn Tuesday the Commission opened an "
         "investigation into Valtrix and Quorra.", "en", "other", "eu-commission",
         {"valtrix", "quorra"}),
        ("Die EU-Kommission traf sich mit Apple.\nMit Sorge prüft die Kommission derzeit die "
         "Fusion von Valtrix und Quorra in einer Untersuchung.", "de", "other", "eu-commission",
         {"valtrix", "quorra"}),
        ("欧盟委员会上月约谈了苹果公司。\n当天，该机构还对苹果公司启动了新的调查。", "zh",
         "other", "eu-commission", {"apple"}),
    ],
)
def test_a_description_names_the_authority_before(run: Run, text: str, lang: str,
                                                  etype: str, slug: str,
                                                  bystanders: set[str]) -> None:
    result = run(text, lang, WEDNESDAY)
    assert events_of(result, etype, slug)
    assert not {e.subject for e in result.events if e.type == etype} & bystanders


@pytest.mark.parametrize(
    ("text", "lang", "etype", "slug"),
    [
        ("Anthropic released a new coding tool.\nLater, the Claude maker cut prices for its "
         "API by 20%.", "en", "price_cut", "anthropic"),
        ("Baidu stellte ein neues Modell vor.\nDer Konzern senkte zudem die Preise um 30 "
         "Prozent.", "de", "price_cut", "baidu"),
        ("智谱AI发布了新模型。\n该公司还宣布降价50%。", "zh", "price_cut", "zhipu-ai"),
    ],
)
def test_a_company_description_is_the_company_that_acted(run: Run, text: str, lang: str,
                                                         etype: str, slug: str) -> None:
    assert events_of(run(text, lang, WEDNESDAY), etype, slug)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Bad news for Sam Altman: OpenAI fired him on Friday.", "en"),
        ("Schlechte Nachricht für Sam Altman: OpenAI hat ihn am Freitag gefeuert.", "de"),
        ("对Sam Altman来说是坏消息：OpenAI周五任命了新的董事会成员。", "zh"),
    ],
)
def test_a_person_beside_the_organisation_is_not_the_subject(run: Run, text: str,
                                                             lang: str) -> None:
    result = run(text, lang, WEDNESDAY)
    assert events_of(result, "other", "openai")
    assert not [e for e in result.events if e.subject == "sam-altman"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Reuters reported that Tencent Cloud cut prices by 10% on Monday.", "en"),
        ("Wie Reuters berichtet, hat Tencent Cloud die Preise um 10 Prozent gesenkt.", "de"),
        ("据路透社报道，腾讯云周一降价10%。", "zh"),
    ],
)
def test_the_media_outlet_is_not_the_subject(run: Run, text: str, lang: str) -> None:
    result = run(text, lang, WEDNESDAY)
    assert events_of(result, "price_cut", "tencent-cloud")
    assert not [e for e in result.events if e.subject == "reuters"]


@pytest.mark.parametrize(
    ("text", "lang", "slug"),
    [
        ("The Veloria Competition Authority approved the merger on Tuesday.", "en",
         "veloria-competition-authority"),
        ("Die Datenschutzbehörde Velor hat gegen Quorra ein Bußgeld verhängt.", "de", "velor"),
    ],
)
def test_an_unknown_authority_decides_policy(run: Run, text: str, lang: str,
                                             slug: str) -> None:
    result = run(text, lang, WEDNESDAY)
    assert events_of(result, "policy", slug)
    [actor] = [a for a in result.actors if a.slug == slug]
    assert (actor.kind, actor.reviewed) == ("government", False)


def test_an_ambiguous_description_refers_to_no_one(run: Run) -> None:
    text = "Baidu und Alibaba trafen Analysten.\nDas Unternehmen senkte die Preise um 5 Prozent."
    assert not [e for e in run(text, "de", WEDNESDAY).events if e.type == "price_cut"]


def test_an_unknown_german_name_writes_its_umlauts_out(run: Run) -> None:
    result = run("Die Müllerwerk GmbH ruft ihre Kühlboxen zurück.", "de", WEDNESDAY)
    assert events_of(result, "other", "muellerwerk")


@pytest.mark.parametrize(
    ("text", "lang", "etype", "slug", "object_slug"),
    [
        ("Activision Blizzard was acquired by Microsoft in October.", "en", "partnership",
         "microsoft", "activision-blizzard"),
        ("Die Sparte wurde von SAP übernommen.", "de", "partnership", "sap", None),
        ("苹果公司被欧盟委员会处以罚款。", "zh", "policy", "eu-commission", "apple"),
    ],
)
def test_the_agent_of_a_passive_clause_acts(run: Run, text: str, lang: str, etype: str,
                                            slug: str, object_slug: str | None) -> None:
    result = run(text, lang, WEDNESDAY)
    assert events_of(result, etype, slug)
    if object_slug:
        assert not events_of(result, etype, object_slug)
