"""English genre rules of engine round 3 (issue 7), each tested on sentences of our own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from newsline_engine import Extraction

from .conftest import events_of

Run = Callable[..., Extraction]
TUESDAY = datetime(2025, 6, 10, 8, 0, tzinfo=UTC)


def _pairs(result: Extraction) -> set[tuple[str, str]]:
    return {(e.type, e.actors[0].slug) for e in result.events}


def test_apposition_with_a_possessive_is_no_second_subject(run: Run) -> None:
    # "X, China's biggest ..., said": the country is a description of X, not a co-subject.
    result = run("Tencent, China's largest gaming company, said in a statement its new "
                 "assistant would be launched on Friday.", "en", TUESDAY)
    assert ("announcement", "tencent") in _pairs(result)
    assert not [e for e in result.events if e.actors[0].slug == "chinese-government"]


def test_coordinated_subjects_still_chain(run: Run) -> None:
    result = run("Baidu, Alibaba and Tencent cut their model prices by 20% on Monday.", "en",
                 TUESDAY)
    assert {("price_cut", s) for s in ("baidu", "alibaba", "tencent")} <= _pairs(result)


def test_name_inside_a_web_address_is_no_actor(run: Run) -> None:
    result = run("The new model also added image input and a longer context window "
                 "docs.example.org blog.amazon.com.", "en", TUESDAY)
    assert not [e for e in result.events if e.actors[0].slug == "amazon"]


def test_short_form_in_brackets_follows_its_preposition(run: Run) -> None:
    # "for the Department of Justice (DOJ)": the DOJ is governed, not the ruling's author.
    result = run("The verdict is a setback for the US Department of Justice (DOJ) after a "
                 "long trial.", "en", TUESDAY)
    assert not events_of(result, "policy", "us-doj")


def test_place_adjective_between_preposition_and_name(run: Run) -> None:
    # "led by the Californian fund X, values Y": the fund is governed, Y raised the money.
    result = run("The round, led by the Californian fund Andreessen Horowitz, raised "
                 "$50 million for Mistral AI.", "en", TUESDAY)
    assert not [e for e in result.events if e.actors[0].slug == "andreessen-horowitz"]


def test_said_its_product_would_launch_is_an_announcement(run: Run) -> None:
    result = run("Two startups, Baichuan and Zhipu AI, said their chatbots would be "
                 "officially launched on Thursday.", "en", TUESDAY)
    pairs = _pairs(result)
    assert {("announcement", "baichuan"), ("announcement", "zhipu-ai")} <= pairs
    assert {("product_launch", "baichuan"), ("product_launch", "zhipu-ai")} <= pairs


def test_said_its_figures_would_rise_is_no_announcement(run: Run) -> None:
    result = run("Nvidia said its data-centre revenue would rise sharply next quarter.", "en",
                 TUESDAY)
    assert not events_of(result, "announcement", "nvidia")


def test_quote_attribution_is_no_announcement(run: Run) -> None:
    result = run('"The buyer must sell its plant in Lyon," the European Commission said in '
                 "a statement.", "en", TUESDAY)
    assert not events_of(result, "announcement", "eu-commission")
    plain = run("The European Commission said in a statement it had opened a review of the "
                "deal.", "en", TUESDAY)
    assert events_of(plain, "announcement", "eu-commission")


def test_notified_customer_base_is_an_announcement(run: Run) -> None:
    result = run("Anthropic notified its enterprise customer base that an older model will be "
                 "retired on 1 September.", "en", TUESDAY)
    assert events_of(result, "announcement", "anthropic")


def test_raising_an_amount_is_funding(run: Run) -> None:
    result = run("Aleph Alpha has grown fast, raising almost half a billion euros in November.",
                 "en", TUESDAY)
    [event] = events_of(result, "other", "aleph-alpha")
    assert event.subtype == "funding"


def test_losing_features_is_a_restriction(run: Run) -> None:
    result = run("Google Maps will lose its offline routing feature on July 1.", "en", TUESDAY)
    assert events_of(result, "access_restriction", "google")
    assert not events_of(result, "access_block", "google")


def test_remedies_in_merger_review_are_an_act(run: Run) -> None:
    result = run("Siemens submitted concessions on May 3 to win approval for the takeover.",
                 "en", TUESDAY)
    assert events_of(result, "other", "siemens")


def test_court_held_that_is_a_ruling(run: Run) -> None:
    result = run("The EU General Court held that the Commission had erred in its fine.", "en",
                 TUESDAY)
    [event] = events_of(result, "policy", "eu-general-court")
    assert event.subtype == "ruling"


def test_unnamed_commission_is_the_european_commission(run: Run) -> None:
    result = run("Apple and Meta, the gatekeepers designated by the Commission in March 2024, "
                 "must comply from today.", "en", TUESDAY)
    assert events_of(result, "policy", "eu-commission")
    named = run("The Federal Trade Commission sued Amazon on Monday. The Commission said it "
                "had found abuse.", "en", TUESDAY)
    assert not [e for e in named.events if e.actors[0].slug == "eu-commission"]
    lower = run("The commission fined the bank on Monday.", "en", TUESDAY)
    assert not [e for e in lower.events if e.actors[0].slug == "eu-commission"]


def test_eu_deal_of_states_and_lawmakers_is_the_union(run: Run) -> None:
    result = run("EU countries and lawmakers reached a deal on Friday on the new data rules.",
                 "en", TUESDAY)
    assert events_of(result, "announcement", "european-union")
    assert not [e for e in result.events if e.actors[0].slug == "eu-member-states"]


def test_place_after_in_is_no_subject(run: Run) -> None:
    # "machines in use in China": a place, not an actor a later "It" can refer to.
    result = run("Thousands of Nvidia chips are in use in China. It said on Monday it would "
                 "stop shipping the H20.", "en", TUESDAY)
    assert not [e for e in result.events if e.actors[0].slug == "chinese-government"]


def test_place_based_modifier_is_no_actor(run: Run) -> None:
    # "China-based startup X", "United States chipmaker X": the place describes the actor.
    result = run("China-based startup Moonshot AI said it would launch Kimi 2 on Friday.", "en",
                 TUESDAY)
    assert events_of(result, "announcement", "moonshot-ai")
    assert not [e for e in result.events if e.actors[0].slug == "chinese-government"]
    us = run("United States chipmaker Nvidia said it would stop selling the H20 in China from "
             "July 1.", "en", TUESDAY)
    assert events_of(us, "access_block", "nvidia")
    assert not [e for e in us.events if e.actors[0].slug == "us-government"]


def test_unresolved_description_leaves_no_object_as_subject(run: Run) -> None:
    # "The Italian regulator fined OpenAI": OpenAI is the object, never the actor.
    result = run("The Italian regulator fined OpenAI 15 million euros on Friday.", "en", TUESDAY)
    assert not [e for e in result.events if e.actors[0].slug == "openai"]
    # ... unless the description says what the name after it did.
    reported = run("The company said on Monday that Apple would launch a new iPhone.", "en",
                   TUESDAY)
    assert events_of(reported, "product_launch", "apple")


def test_place_adjective_description_finds_that_country(run: Run) -> None:
    result = run("Italy's privacy watchdog opened a probe into the chatbot in March. The Italian "
                 "regulator fined OpenAI 15 million euros on Friday.", "en", TUESDAY)
    assert events_of(result, "policy", "italy-garante")
    other = run("The European Commission opened a probe in March. The Italian regulator fined "
                "OpenAI 15 million euros on Friday.", "en", TUESDAY)
    assert not events_of(other, "policy", "eu-commission")


def test_competition_regulator_of_britain(run: Run) -> None:
    result = run("Britain's competition regulator said on Friday it had cleared Microsoft's "
                 "purchase of a games studio.", "en", TUESDAY)
    assert events_of(result, "policy", "uk-cma")
    assert not events_of(result, "announcement", "microsoft")


def test_wind_down_and_phase_out_end_a_service(run: Run) -> None:
    for text in ("Meta will wind down its Workplace service from June 2026.",
                 "Meta will phase out its Workplace service from June 2026."):
        [event] = events_of(run(text, "en", TUESDAY), "access_block", "meta")
        assert event.subtype == "shutdown"


def test_pulling_an_app_from_the_store_blocks_it(run: Run) -> None:
    result = run("Apple removed two messaging apps from its App Store in Russia on Monday.",
                 "en", TUESDAY)
    assert events_of(result, "access_block", "apple")


def test_signed_deal_is_a_partnership(run: Run) -> None:
    result = run("Samsung signed a $2 billion deal with Tesla on Monday to supply chips.", "en",
                 TUESDAY)
    assert events_of(result, "partnership", "samsung")


def test_named_as_chief_executive_is_an_appointment(run: Run) -> None:
    result = run("Intel named Lip-Bu Tan as its new chief executive on Wednesday.", "en",
                 TUESDAY)
    [event] = events_of(result, "other", "intel")
    assert event.subtype == "appointment"


def test_bankruptcy_filing_is_a_restructuring(run: Run) -> None:
    result = run("Lumora Technologies Ltd. filed for bankruptcy protection on Friday.", "en",
                 TUESDAY)
    [event] = [e for e in result.events if e.type == "other"]
    assert event.subtype == "restructuring"


def test_authority_imposing_restrictions_or_ordering_is_policy(run: Run) -> None:
    result = run("Japan's trade ministry imposed restrictions on chip exports on Monday.", "en",
                 TUESDAY)
    assert events_of(result, "policy", "japan-meti")
    order = run("The Federal Trade Commission ordered the app maker to stop selling location "
                "data on Monday.", "en", TUESDAY)
    assert events_of(order, "policy", "us-ftc")


def test_comparison_names_no_subject(run: Run) -> None:
    result = run("Like Tencent, Alibaba Cloud cut its model prices by 50% on Monday.", "en",
                 TUESDAY)
    assert events_of(result, "price_cut", "alibaba-cloud")
    assert not events_of(result, "price_cut", "tencent")


def test_fronted_place_does_not_swallow_the_subject(run: Run) -> None:
    # "In Germany, Siemens ...": a comma after a place is no list of subjects.
    result = run("In Germany, Siemens cut 5,000 jobs on Monday.", "en", TUESDAY)
    assert events_of(result, "other", "siemens")


def test_negated_act_is_no_event(run: Run) -> None:
    result = run("Unlike OpenAI, Anthropic has not released a video model.", "en", TUESDAY)
    assert not [e for e in result.events if e.type == "product_launch"]
    # a negation that is no act ("did not disclose") leaves the act beside it
    aside = run("Mistral AI, which did not disclose its revenue, launched a model on Monday.",
                "en", TUESDAY)
    assert events_of(aside, "product_launch", "mistral-ai")
    # a restriction phrased with "not" still counts
    kept = run("Meta will not release its next model in the EU.", "en", TUESDAY)
    assert events_of(kept, "access_restriction", "meta")


def test_new_agreement_and_export_rules(run: Run) -> None:
    deal = run("Microsoft and OpenAI announced on Monday a new agreement on cloud capacity.",
               "en", TUESDAY)
    assert [e for e in deal.events if e.type == "partnership"]
    rules = run("The Dutch government on Friday announced new export rules for chip machines, "
                "effective September 1.", "en", TUESDAY)
    [policy] = events_of(rules, "policy", "dutch-government")
    assert policy.subtype == "export_control"


def test_object_after_preposition_article_and_modifiers(run: Run) -> None:
    # "downloads of the Chinese artificial intelligence (AI) app X": X is the object.
    result = run("Seoul's privacy regulator said on Monday that it had suspended new downloads "
                 "of the Chinese artificial intelligence (AI) app DeepSeek.", "en", TUESDAY)
    assert not [e for e in result.events if e.actors[0].slug == "deepseek"]
    # no article: a fronted adverbial, the name after it still acts
    fronted = run("For years Apple has launched new iPhones in September.", "en", TUESDAY)
    assert events_of(fronted, "product_launch", "apple")


def test_rival_after_a_name_acts(run: Run) -> None:
    result = run("OpenAI's rival Anthropic released a new coding model on Thursday.", "en",
                 TUESDAY)
    assert events_of(result, "product_launch", "anthropic")
    assert not events_of(result, "product_launch", "openai")
    partner = run("Amazon signed a cloud agreement with rival Microsoft on Monday.", "en",
                  TUESDAY)
    assert not [e for e in partner.events if e.actors[0].slug == "microsoft"]


def test_not_launching_in_a_market_is_a_restriction(run: Run) -> None:
    result = run("Meta said it will not launch its assistant in the EU this year.", "en",
                 TUESDAY)
    assert events_of(result, "access_restriction", "meta")


def test_descriptive_names_of_big_regulators(run: Run) -> None:
    result = run("Germany's antitrust watchdog said on Monday it had designated Amazon under "
                 "the new rules.", "en", TUESDAY)
    assert events_of(result, "policy", "bundeskartellamt")
    mofcom = run("Beijing's commerce ministry said on Friday it would add two drone makers to "
                 "its unreliable entity list.", "en", TUESDAY)
    assert events_of(mofcom, "policy", "mofcom")
