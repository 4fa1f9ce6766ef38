"""Round 3 (issue 7), Chinese genre rules: own sentences, none copied from an article."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from newsline_engine import Extraction

from .conftest import events_of

Run = Callable[..., Extraction]
DAY = datetime(2025, 6, 12, 8, 0, tzinfo=UTC)


def _pairs(result: Extraction) -> set[tuple[str, str]]:
    return {(e.type, e.actors[0].slug) for e in result.events}


# --- joint issuers: one act, the lead issuer's -------------------------------------------

@pytest.mark.parametrize("text", [
    "6月10日，商务部、海关总署发布公告，决定对锑相关物项实施出口管制。",
    "6月10日，商務部、海關總署發佈公告，決定對銻相關物項實施出口管制。",
    "6月10日，商务部 海关总署联合发布公告，决定对锑相关物项实施出口管制。",
])
def test_joint_notice_is_the_lead_issuers(run: Run, text: str) -> None:
    result = run(text, "zh", DAY)
    assert events_of(result, "policy", "mofcom")
    assert not events_of(result, "policy", "gacc")
    assert not events_of(result, "announcement", "gacc")


def test_party_centre_cosigning_yields_to_the_state_council(run: Run) -> None:
    result = run("2024年5月，中共中央、国务院印发《关于加快数字经济发展的意见》。", "zh", DAY)
    assert events_of(result, "policy", "china-state-council")
    assert not events_of(result, "policy", "cpc-central-committee")


def test_two_states_side_by_side_stay_two_actors(run: Run) -> None:
    result = run("2024年5月，美国政府、日本政府对华实施新的芯片出口管制。", "zh", DAY)
    assert {"us-government", "japan-government"} <= {
        e.actors[0].slug for e in result.events if e.type == "policy"}


def test_joint_issuers_need_adjacent_names(knowledge) -> None:  # type: ignore[no-untyped-def]
    from newsline_engine.actors import Mention
    from newsline_engine.events import joint_issuers

    a, b = Mention("mofcom", 0, 3), Mention("gacc", 4, 8)
    assert joint_issuers([a, b], knowledge) == [a]
    far = Mention("gacc", 9, 13)  # "商务部和海关总署" / "Commerce and Customs": a word between
    assert joint_issuers([a, far], knowledge) == [a, far]
    company = Mention("huawei", 4, 6)
    assert joint_issuers([a, company], knowledge) == [a, company]


# --- trigger words that are nouns, titles or document numbers -------------------------------

def test_document_number_is_no_announcement(run: Run) -> None:
    assert not run("详情见海关总署公告2025年第7号。", "zh", DAY).events
    result = run("海关总署昨日发布公告，宣布调整检疫要求。", "zh", DAY)
    assert events_of(result, "announcement", "gacc")


def test_founder_title_is_no_founding(run: Run) -> None:
    result = run("小米创办人雷军昨日出席发布会，介绍小米新款手机。", "zh", DAY)
    assert not [e for e in result.events if e.subtype == "founding"]


def test_law_named_in_quotes_is_not_passed(run: Run) -> None:
    result = run("欧盟委员会周二认定，谷歌的做法违反了《数字服务法案》。", "zh", DAY)
    assert not events_of(result, "policy", "eu-commission")


def test_signing_a_law_is_no_partnership(run: Run) -> None:
    result = run("2024年3月5日，美国总统正式签署《人工智能安全法案》。", "zh", DAY)
    assert not [e for e in result.events if e.type == "partnership"]
    signed = run("2024年3月5日，华为与比亚迪签署《战略合作协议》。", "zh", DAY)
    assert events_of(signed, "partnership", "huawei")


def test_statement_of_a_published_explanation_is_no_launch(run: Run) -> None:
    result = run("据百度官网发布的说明，该调整只涉及企业用户。", "zh", DAY)
    assert not [e for e in result.events if e.type == "product_launch"]
    assert events_of(run("百度昨日发布了新款大模型。", "zh", DAY), "product_launch", "baidu")


def test_unknown_company_share_is_no_organisation(run: Run) -> None:
    result = run("该批股份约占公司已发行股本的5%，腾讯昨日宣布完成配售。", "zh", DAY)
    assert all(a.slug != "约占" for a in result.actors)


# --- modality: drafts, effects, habits -----------------------------------------------------

@pytest.mark.parametrize("text", [
    "美国财政部6月3日公布一份规则草案，拟禁止部分对华投资。",
    "國家網信辦6月3日公布《生成式人工智能服務管理辦法（徵求意見稿）》。",
])
def test_a_draft_rule_is_no_policy(run: Run, text: str) -> None:
    assert not [e for e in run(text, "zh", DAY).events if e.type == "policy"]


def test_a_passed_draft_is_a_law(run: Run) -> None:
    result = run("全国人大常委会6月3日表决通过《人工智能法草案》。", "zh", DAY)
    assert events_of(result, "policy", "npc-standing-committee")


def test_an_expected_effect_is_no_plan(run: Run) -> None:
    result = run("工信部有关负责人表示，这一举措将推动产业升级。", "zh", DAY)
    assert not events_of(result, "announcement", "miit")
    stated = run("工信部表示，将于7月1日起施行新的行业标准。", "zh", DAY)
    assert events_of(stated, "announcement", "miit")


def test_a_habit_is_no_offer(run: Run) -> None:
    assert not events_of(run("对普通用户来说，百度文心一言一直是免费的。", "zh", DAY),
                         "offer", "baidu")
    assert not events_of(run("阿里云称，该模型的优惠期已结束。", "zh", DAY), "offer",
                         "alibaba-cloud")


# --- kinds of event said in Chinese news' own words ----------------------------------------

@pytest.mark.parametrize(("text", "etype", "slug"), [
    ("6月1日，阿里云将通义千问的定价下调至每百万tokens 0.5元。", "price_cut", "alibaba-cloud"),
    ("即日起，腾讯云混元模型的调用价格大幅下调。", "price_cut", "tencent-cloud"),
    ("6月1日起，百度智能云的部分模型对客户免费开放使用。", "price_cut", "baidu-ai-cloud"),
    ("2024年6月10日，中国城市建设集团与A公司签订有条件买卖协议，拟以1亿港元收购其股权。",
     "announcement", "中国城市建设"),
    ("華碩昨（11）日發表新款筆電。", "product_launch", "asus"),
    ("公平會昨日對台灣大哥大開罰新台幣500萬元。", "policy", None),
    ("鴻海昨日宣布與輝達策略聯盟。", "partnership", "foxconn"),
    ("微軟以690億美元買下動視暴雪。", "partnership", "microsoft"),
    ("輝達昨日在美國對三星提告。", "other", "nvidia"),
    ("加拿大政府2018年逮捕了一名华为高管。", "other", "canada-government"),
])
def test_chinese_event_wording(run: Run, text: str, etype: str, slug: str | None) -> None:
    result = run(text, "zh", DAY)
    if slug is None:
        assert [e for e in result.events if e.type == etype]
    else:
        assert events_of(result, etype, slug), _pairs(result)


def test_conditional_sale_agreement_is_no_completed_deal(run: Run) -> None:
    result = run("2024年6月10日，中国城市建设集团与A公司签订有条件买卖协议。", "zh", DAY)
    assert not [e for e in result.events if e.type == "partnership"]


# --- undecided plans, sources, "may" -------------------------------------------------------

@pytest.mark.parametrize("text", [
    "美国商务部拟将更多中国企业列入实体清单。",
    "歐盟委員會計劃對蘋果公司處以罰款。",
    "消息人士称，阿里巴巴将裁员10%。",
    "微軟傳出將裁員一萬人。",
    "百度或于下月发布文心5.0。",
])
def test_undecided_or_rumoured_acts_are_no_events(run: Run, text: str) -> None:
    assert not [e for e in run(text, "zh", DAY).events if e.type != "announcement"
                or e.subtype != "statement"], text


@pytest.mark.parametrize(("text", "etype", "slug"), [
    ("华为计划于明年3月推出新款手机。", "product_launch", "huawei"),
    ("美国商务部拟于7月1日起实施新规。", "policy", "us-commerce-department"),
    ("消息傳出後，智譜AI隨即推出「特別搬家計劃」，向用戶贈送1.5億tokens。", "offer",
     "zhipu-ai"),
    ("2023年12月，国家数据局等17部门制定了《三年行动计划》。", "policy",
     "national-data-administration"),
    ("中国城市建设集团拟以3亿港元收购A公司60%股权。", "announcement", "中国城市建设"),
    ("腾讯推出虚拟人产品。", "product_launch", "tencent"),
    ("商务部新闻发言人表示，中方坚决反对美方的做法。", "announcement", "mofcom"),
])
def test_dated_or_decided_plans_and_nouns_stay_events(run: Run, text: str, etype: str,
                                                      slug: str) -> None:
    assert events_of(run(text, "zh", DAY), etype, slug), text


def test_executive_order_is_no_partnership(run: Run) -> None:
    result = run("美国总统特朗普签署行政令，对进口汽车加征25%关税。", "zh", DAY)
    assert not [e for e in result.events if e.type == "partnership"]
    assert [e for e in result.events if e.type == "policy"]


@pytest.mark.parametrize(("text", "etype", "slug"), [
    ("小米汽车YU7昨日正式上市。", "product_launch", "xiaomi"),
    ("比亚迪宣布旗下多款车型官降。", "price_cut", "byd"),
    ("華碩昨日宣布調降旗艦手機售價。", "price_cut", "asus"),
])
def test_car_and_retail_wording(run: Run, text: str, etype: str, slug: str) -> None:
    assert events_of(run(text, "zh", DAY), etype, slug), text


@pytest.mark.parametrize("text", ["美团于2018年在港交所正式上市。", "華碩調降財測。"])
def test_listing_and_forecast_cuts_are_no_launch_or_price_cut(run: Run, text: str) -> None:
    assert not [e for e in run(text, "zh", DAY).events
                if e.type in ("product_launch", "price_cut")], text


def test_the_board_stands_for_the_company(run: Run) -> None:
    result = run("華碩昨日宣布推出新款筆電。董事會亦通過出售部分設備予宏碁。", "zh", DAY)
    assert [e for e in events_of(result, "partnership", "asus") if e.subtype == "acquisition"]


@pytest.mark.parametrize(("text", "slug"), [
    ("腾讯昨日公布第三季度财报。", "tencent"),
    ("百度发布2024年第四季度业绩。", "baidu"),
])
def test_reporting_results_is_earnings_not_a_launch(run: Run, text: str, slug: str) -> None:
    result = run(text, "zh", DAY)
    assert [e for e in events_of(result, "other", slug) if e.subtype == "earnings"]
    assert not events_of(result, "product_launch", slug)


def test_a_chatbots_replies_are_no_statement(run: Run) -> None:
    assert not run("OpenAI的GPT-5回應速度更快。", "zh", DAY).events
    assert events_of(run("外交部发言人回应称，中方坚决反对。", "zh", DAY), "announcement",
                     "chinese-government")


def test_rumour_words_keep_reported_facts(run: Run) -> None:
    assert not run("美國商務部據報考慮限制輝達晶片出口。", "zh", DAY).events
    assert events_of(run("據報導，輝達昨日宣布推出新晶片。", "zh", DAY), "product_launch",
                     "nvidia")


def test_a_company_rule_is_no_policy(run: Run) -> None:
    assert not [e for e in run("欧盟委员会认为，苹果公司的应用商店规则妨碍了竞争。", "zh",
                               DAY).events if e.type == "policy"]


@pytest.mark.parametrize(("text", "etype", "slug", "subtype"), [
    ("Anthropic宣布禁止中资控股企业使用Claude服务。", "access_block", "anthropic", None),
    ("谷歌宣布Gemini API将不再向中国大陆开发者开放。", "access_block", "google", None),
    ("DeepSeek宣布暂停API充值服务。", "access_restriction", "deepseek", None),
    ("DeepSeek宣布暂停服务。", "access_block", "deepseek", "suspension"),
    ("阿里巴巴集团宣布分拆为六大业务集团。", "other", "alibaba", "restructuring"),
    ("美团宣布以20亿元收购光年之外。", "announcement", "meituan", "deal"),
    ("腾讯完成对某游戏公司的收购。", "partnership", "tencent", "acquisition"),
])
def test_access_and_deal_wording(run: Run, text: str, etype: str, slug: str,
                                 subtype: str | None) -> None:
    found = events_of(run(text, "zh", DAY), etype, slug)
    assert found and (subtype is None or found[0].subtype == subtype), text


def test_pausing_top_ups_is_no_block(run: Run) -> None:
    assert not events_of(run("DeepSeek宣布暂停API充值服务。", "zh", DAY), "access_block",
                         "deepseek")
