"""The whole taxonomy of DESIGN.md "Event types", with subtypes, read from the trigger files
(issue 7 categories 1-3). Sentences of our own, in English, German and Chinese."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from newsline_engine import Extraction, KnowledgeError, load_knowledge

from .conftest import REPO, events_of

Run = Callable[..., Extraction]
MONDAY = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "lang", "etype", "subtype", "slug"),
    [
        # Category 1: an act without the word "block", a ruling, a law in force, a charge.
        ("Microsoft will end support for Windows 10 on October 14, 2025.", "en",
         "access_block", "end_of_support", "microsoft"),
        ("Google shut down its Stadia streaming service in January 2023.", "en",
         "access_block", "shutdown", "google"),
        ("Die Bundesregierung hat ein Gesetz zur Cybersicherheit verabschiedet.", "de",
         "policy", "law", "bundesregierung"),
        ("Die EU-Kommission hat die Übernahme des Chipherstellers genehmigt.", "de",
         "policy", "approval", "eu-commission"),
        ("Der Support für Office 2016 endet im Oktober 2025, teilte Microsoft mit.", "de",
         "access_block", "end_of_support", "microsoft"),
        ("工信部决定对违规企业处以罚款。", "zh", "policy", "fine", "miit"),
        ("百度宣布关停旗下一款网盘服务。", "zh", "access_block", "shutdown", "baidu"),
        ("Nvidia took a charge of $4 billion on unsold chips.", "en", "other", "charge",
         "nvidia"),
        ("SAP baut 2000 Stellen ab.", "de", "other", "layoffs", "sap"),
        ("腾讯今年裁员3000人。", "zh", "other", "layoffs", "tencent"),
        ("Microsoft has completed its acquisition of a Finnish game studio.", "en",
         "partnership", "acquisition", "microsoft"),
        ("商务部对相关企业启动反倾销调查。", "zh", "other", "investigation", "mofcom"),
    ],
)
def test_acts_with_their_subtype(run: Run, text: str, lang: str, etype: str,
                                 subtype: str, slug: str) -> None:
    found = events_of(run(text, lang, MONDAY), etype, slug)
    assert found, [(e.type, e.subject) for e in run(text, lang, MONDAY).events]
    assert found[0].subtype == subtype
    assert found[0].to_dict()["subtype"] == subtype


@pytest.mark.parametrize(
    ("text", "lang", "slug"),
    [
        # Category 2: a government's export control is policy, not an access restriction.
        ("The US Commerce Department imposed new export controls on AI chips.", "en",
         "us-commerce-department"),
        ("Die US-Regierung verschärft die Exportkontrollen für Halbleiter.", "de",
         "us-government"),
        ("商务部宣布对部分稀土物项实施出口管制。", "zh", "mofcom"),
    ],
)
def test_an_authoritys_export_control_is_policy(run: Run, text: str, lang: str,
                                                slug: str) -> None:
    result = run(text, lang, MONDAY)
    [event] = events_of(result, "policy", slug)
    assert event.subtype == "export_control"
    assert not [e for e in result.events if e.type.startswith("access_")]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Apple was fined €500 million by the EU Commission.", "en"),
        ("Apple muss nach einer Entscheidung der EU-Kommission eine Geldbuße zahlen.", "de"),
        ("苹果公司被欧盟委员会处以罚款。", "zh"),
    ],
)
def test_a_fine_is_the_authoritys_not_the_fined_companys(run: Run, text: str,
                                                         lang: str) -> None:
    result = run(text, lang, MONDAY)
    assert events_of(result, "policy", "eu-commission")
    assert not events_of(result, "policy", "apple")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # An authority launches no product and makes no offer.
        ("The Cyberspace Administration of China released a draft on labelling.", "en"),
        ("网信办发布了人工智能安全治理框架。", "zh"),
    ],
)
def test_an_authority_launches_no_product(run: Run, text: str, lang: str) -> None:
    assert not events_of(run(text, lang, MONDAY), "product_launch", "cac")


@pytest.mark.parametrize(
    ("text", "lang", "said", "effective"),
    [
        # Category 3: the notice and the act, each with its own date.
        ("OpenAI said on Monday that it will block API access from China starting July 9.",
         "en", date(2025, 6, 2), date(2025, 7, 9)),
        ("OpenAI kündigte am Montag an, den API-Zugang aus China ab dem 9. Juli zu sperren.",
         "de", date(2025, 6, 2), date(2025, 7, 9)),
        ("OpenAI于6月2日宣布，将从7月9日起阻止来自中国的API访问。", "zh",
         date(2025, 6, 2), date(2025, 7, 9)),
    ],
)
def test_notice_and_act_are_two_events(run: Run, text: str, lang: str, said: date,
                                       effective: date) -> None:
    result = run(text, lang, MONDAY)
    [notice] = events_of(result, "announcement", "openai")
    [act] = events_of(result, "access_block", "openai")
    assert (notice.date, act.date) == (said, effective)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Alibaba Cloud announced a 40% price cut for its Qwen models.", "en"),
        ("Alibaba Cloud kündigte eine Preissenkung von 40 Prozent für Qwen an.", "de"),
        ("阿里云宣布通义千问降价40%。", "zh"),
    ],
)
def test_an_announced_price_cut_is_also_a_price_cut(run: Run, text: str, lang: str) -> None:
    result = run(text, lang, MONDAY)
    assert events_of(result, "announcement", "alibaba-cloud")
    [cut] = events_of(result, "price_cut", "alibaba-cloud")
    assert cut.quantity is not None and cut.quantity.value == 40


def _copy_knowledge(tmp_path: Path, old: str, new: str) -> Path:
    source = REPO / "seeds" / "knowledge"
    target = tmp_path / "knowledge"
    (target / "triggers").mkdir(parents=True)
    (target / "actors.yaml").write_text((source / "actors.yaml").read_text("utf-8"), "utf-8")
    for path in (source / "triggers").glob("*.yaml"):
        text = path.read_text("utf-8")
        if path.name == "en.yaml":
            text = text.replace(old, new, 1)
        (target / "triggers" / path.name).write_text(text, "utf-8")
    return target


def test_an_unknown_subtype_is_a_clear_knowledge_error(tmp_path: Path) -> None:
    folder = _copy_knowledge(tmp_path, "    fine: [fined,", "    penalty_box: [fined,")
    with pytest.raises(KnowledgeError, match="subtype 'penalty_box'"):
        load_knowledge(folder)


def test_a_type_may_still_list_phrases_without_subtypes(tmp_path: Path) -> None:
    folder = _copy_knowledge(tmp_path, "  access_restriction:\n",
                             "  access_restriction:\n    - \"throttl*\"\n")
    knowledge = load_knowledge(folder)
    [trigger] = [t for t in knowledge.lexicons["en"].triggers if t.type == "access_restriction"]
    match = trigger.search("The vendor throttled requests.", 0, 30)
    assert match is not None and trigger.subtype(match) is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # Category 2: several launches named in one sentence are several events.
        ("OpenAI released GPT-5 and Sora on Monday.", "en"),
        ("OpenAI hat am Montag GPT-5 und Sora vorgestellt.", "de"),
        ("OpenAI周一发布了GPT-5和Sora。", "zh"),
    ],
)
def test_each_product_launched_is_its_own_event(run: Run, text: str, lang: str) -> None:
    launches = events_of(run(text, lang, MONDAY), "product_launch", "openai")
    assert sorted(e.product or "" for e in launches) == ["GPT-5", "Sora"]


@pytest.mark.parametrize(
    ("text", "lang", "etype", "slug"),
    [
        # Category 1: a sentence hard-wrapped by the wire is still one sentence.
        ("The EU Commission said in a statement in Brussels\non Monday that it had approved the "
         "merger of two airlines.",
         "en", "policy", "eu-commission"),
        ("Die EU-Kommission hat am Montag die Fusion\nzweier Fluggesellschaften genehmigt.",
         "de", "policy", "eu-commission"),
        ("欧盟委员会周一批准了两家航空公司的合并。", "zh", "policy", "eu-commission"),
    ],
)
def test_a_hard_wrapped_sentence_is_read_whole(run: Run, text: str, lang: str, etype: str,
                                               slug: str) -> None:
    assert events_of(run(text, lang, MONDAY), etype, slug)


def test_a_headline_line_is_not_joined_to_the_story(run: Run) -> None:
    result = run("OpenAI blocks access\n\nBaidu cut prices for ERNIE on Monday.", "en", MONDAY)
    assert not events_of(result, "access_block", "openai")
    assert events_of(result, "price_cut", "baidu")
