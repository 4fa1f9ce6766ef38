"""One canonical actor per body: the names a body goes by in English, German, Simplified and
Traditional Chinese all resolve to the slug of seeds/knowledge/actors.yaml (sentences written
for these tests)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsline_engine import Extraction, Knowledge

Run = Callable[..., Extraction]


def slugs(result: Extraction) -> set[str]:
    return {a.slug for a in result.actors}


# (slug, sentences naming that one body in en, de, zh-Hans, zh-Hant)
ONE_BODY_MANY_NAMES = [
    ("mofcom", [
        "China's Ministry of Commerce said on Monday it would review the request.",
        "Das chinesische Handelsministerium kündigte am Dienstag neue Regeln an.",
        "Nach Angaben des chinesischen Handelsministeriums gilt die Regel ab Mai.",
        "商务部新闻发言人周四表示将依法审查。",
        "大陸商務部週五公告，相關規定即日起施行。",
    ]),
    ("samr", [
        "China's State Administration for Market Regulation opened a review of the deal.",
        "Die chinesische Marktaufsichtsbehörde prüft die Übernahme.",
        "国家市场监督管理总局对该交易附加限制性条件。",
        "大陸市場監管總局宣布有條件批准此案。",
    ]),
    ("bundeskartellamt", [
        "Germany's Federal Cartel Office cleared the joint venture.",
        "Das Bundeskartellamt hat die Fusion freigegeben.",
        "Nach Auffassung des Bundeskartellamts ist der Markt eng.",
        "Die Sprecherin des Bundeskartellamtes wollte sich nicht äußern.",
        "德国联邦卡特尔局批准了这项合并。",
        "德國聯邦卡特爾局表示將展開調查。",
    ]),
    ("uk-cma", [
        "The Competition and Markets Authority said the merger could proceed.",
        "Die britische Wettbewerbsbehörde CMA hat Bedenken angemeldet.",
        "Der Entscheidung der britischen Wettbewerbsbehörde ging eine lange Prüfung voraus.",
        "英国竞争与市场管理局宣布启动调查。",
        "英國競爭及市場管理局批准這項收購。",
    ]),
    ("eu-court-of-justice", [
        "The European Court of Justice dismissed the appeal on Thursday.",
        "Der Europäische Gerichtshof hat die Klage abgewiesen.",
        "Das Urteil des Europäischen Gerichtshofs ist endgültig.",
        "欧盟法院周二驳回了上诉。",
        "歐盟法院裁定該補貼違法。",
    ]),
    ("taiwan-moea", [
        "Taiwan's Ministry of Economic Affairs added the firms to its list.",
        "Das taiwanische Wirtschaftsministerium setzte die Firmen auf eine Liste.",
        "台湾经济部将两家企业列入出口管制名单。",
        "經濟部今天證實新增多個實體。",
    ]),
    ("us-treasury", [
        "The U.S. Treasury Department issued final rules on outbound investment.",
        "Das US-Finanzministerium veröffentlichte neue Regeln.",
        "美国财政部发布了对外投资规则。",
        "美國財政部公布最終規定。",
    ]),
    ("qualcomm", [
        "Qualcomm unveiled a new laptop chip.",
        "Qualcomms neuer Chip kommt im Herbst.",
        "高通公司发布了新一代芯片。",
        "高通宣布與多家車廠合作。",
    ]),
    ("mediatek", [
        "MediaTek said it would ship the chip next quarter.",
        "MediaTeks Umsatz stieg im dritten Quartal.",
        "联发科发布了新款手机芯片。",
        "聯發科技今日推出新晶片。",
    ]),
    ("volkswagen", [
        "Volkswagen will close a plant in Lower Saxony.",
        "Der Vorstand des VW-Konzerns beschloss den Stellenabbau.",
        "Die Aktie Volkswagens fiel um drei Prozent.",
        "大众汽车宣布在华新建工厂。",
        "福斯汽車宣布召回部分車款。",
    ]),
]


@pytest.mark.parametrize(
    ("slug", "text"),
    [(slug, text) for slug, texts in ONE_BODY_MANY_NAMES for text in texts],
)
def test_one_body_resolves_to_one_slug(run: Run, slug: str, text: str) -> None:
    assert slug in slugs(run(text))


@pytest.mark.parametrize(
    ("text", "slug", "not_slug"),
    [
        # a longer name starting earlier beats the short name inside it
        ("美國商務部週二宣布新的出口管制。", "us-commerce-department", "mofcom"),
        ("美国国务院发言人回应了此事。", "us-state-department", "china-state-council"),
        ("日本公平交易委員會對該公司展開調查。", "japan-jftc", "taiwan-ftc"),
        ("香港证监会对该公司发出警告。", "hk-sfc", "csrc"),
        ("經濟部國際貿易署公布新增名單。", "taiwan-trade-administration", "taiwan-moea"),
        ("The EU General Court annulled the fine.", "eu-general-court", "european-union"),
    ],
)
def test_longest_name_wins(run: Run, text: str, slug: str, not_slug: str) -> None:
    found = slugs(run(text))
    assert slug in found and not_slug not in found


def test_parents_link_subsidiaries_and_agencies(knowledge: Knowledge) -> None:
    parent = {s: a.parent for s, a in knowledge.actors.items()}
    assert parent["ofac"] == "us-treasury" and parent["us-treasury"] == "us-government"
    assert parent["bafin"] == "german-finance-ministry"
    assert parent["german-finance-ministry"] == "bundesregierung"
    assert parent["taiwan-trade-administration"] == "taiwan-moea"
    assert parent["audi"] == "volkswagen" and parent["t-head"] == "alibaba"


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # common words that contain a company's name are not that company
        ("Die Regierung war der verlängerte Arm der Industrie.", "arm"),
        ("Das Schiff stieß gegen einen Eisberg.", "eisberg"),
        ("The Mars rover sent new images.", "mars"),
        ("这项研究揭示了寒武纪大爆发的成因。", "cambricon"),
        ("大众消费持续回暖，航空客运量创新高。", "volkswagen"),
        ("大众消费持续回暖，航空客运量创新高。", "airbus"),
        ("市民走在人行道上。", "pboc"),
        ("The commission said it would publish its report.", "eu-commission"),
    ],
)
def test_common_words_are_not_actors(run: Run, text: str, absent: str) -> None:
    assert absent not in slugs(run(text))
