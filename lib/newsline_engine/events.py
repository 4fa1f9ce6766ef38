"""Turn one clause (trigger words + actor mentions + dates + amounts) into event drafts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from .actors import Mention, ProductMention
from .dates import PRECISION_RANK, DateMention
from .knowledge import Knowledge
from .model import ReferenceTime
from .quantities import QuantityMention

# How directly the subject is named (see confidence()).
SUBJECT_WEIGHT = {"direct": 0.75, "group": 0.6, "coref": 0.55, "possessive": 0.55}
NOT_MONEY = frozenset({"tokens", "credits", "percent", "users", "jobs", "count"})
HEADCOUNT_SUBTYPES = frozenset({"layoffs", "restructuring"})
AUTHORITY_KINDS = frozenset({"government", "regulator"})
# What a company does to its own service or customers; an authority does none of these.
COMPANY_TYPES = frozenset({"offer", "price_cut", "migration_program", "product_launch"})
# An authority ending or limiting access (an export ban, a licence rule) decides policy.
LAUNCH_TYPE = "product_launch"
ACCESS_TYPES = frozenset({"access_block", "access_restriction"})
EFFECTIVE_TYPES = frozenset({"access_block", "access_restriction", "policy", "price_cut", "offer"})


@dataclass(frozen=True)
class Draft:
    type: str
    subject: Mention
    objects: tuple[Mention, ...]
    date: date
    precision: str
    basis: str
    quantity: QuantityMention | None
    product: str | None
    confidence: float
    start: int  # evidence span (the sentence)
    end: int
    effective: bool = False  # its date says when it takes effect ("from", "即日起")
    subtype: str | None = None


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    mentions: list[Mention]
    headline: bool
    recipients: frozenset[int] = frozenset()  # starts of mentions only a preposition governs


def _pick_date(etype: str, dates: list[DateMention], reported: date) -> DateMention | None:
    if etype == "announcement":
        # An announcement happens when reported; its "starting July 9" is the block's date,
        # and a date after the article's ("will launch next year") is not when it was made.
        return next((d for d in dates
                     if not d.effective and not d.future and d.value <= reported), None)
    # A block, cut or rule takes effect at its own date ("from 9 July", "will block on
    # 9 July"), not at the date it was said ("said on Tuesday"). A deal's "expected to be
    # completed in 2025" is not when it was made.
    ahead = etype in EFFECTIVE_TYPES
    return _explicit([d for d in dates if d.effective or (ahead and d.future)] or dates)


def _explicit(dates: list[DateMention]) -> DateMention | None:
    """The most precise date, a stated one before a relative one, else the first: "on
    March 3" beats "yesterday" beside it, and "yesterday" beats "founded in 2015"."""
    if not dates:
        return None
    return max(dates, key=lambda d: (PRECISION_RANK[d.precision], d.basis == "stated",
                                     -d.start))


def related(slug: str, knowledge: Knowledge) -> set[str]:
    actor = knowledge.actors.get(slug)
    family = {slug}
    if actor is not None and actor.parent:
        family.add(actor.parent)
    family.update(a.slug for a in knowledge.actors.values() if a.parent == slug)
    return family


def _own_quantity(subject: Mention, subjects: list[Mention], mentions: list[Mention],
                  quantities: list[QuantityMention]) -> QuantityMention | None:
    """'Baidu gives 50M tokens, Alibaba Cloud 22M': an amount belongs to the subject named
    last before it; a shared amount ('A and B give 1M tokens') goes to every subject."""
    slugs = {s.slug for s in subjects}
    named = [m for m in mentions if m.slug in slugs]
    for q in quantities:
        before = [m for m in named if m.end <= q.start]
        if before and before[-1].slug == subject.slug:
            return q
    after = [q for q in quantities if q.start >= subject.start]
    chosen = after or quantities
    return chosen[0] if chosen else None


def confidence(mode: str, basis: str, quantity: bool, product: bool, headline: bool) -> float:
    """How direct the evidence is: named subject, explicit date, amount, product."""
    score = SUBJECT_WEIGHT.get(mode, 0.5)
    score += {"stated": 0.15, "relative": 0.08}.get(basis, 0.0)
    score += 0.05 * quantity + 0.05 * product - 0.2 * headline
    return round(max(0.05, min(score, 0.97)), 2)


def kind_of(mention: Mention, knowledge: Knowledge) -> str:
    """The actor kind of a mention: the knowledge's, else what the text's cues said."""
    known = knowledge.actors.get(mention.slug)
    return known.kind if known is not None else (mention.kind or "company")


def _quantity_pool(etype: str, subtype: str | None, quantities: list[QuantityMention]
                   ) -> list[QuantityMention]:
    """The amounts that can belong to an event of this kind: a price cut's percentage, a
    layoff's headcount, an offer's tokens; money for the rest (a fine, a takeover, revenue)."""
    def having(units: object) -> list[QuantityMention]:
        return [q for q in quantities if q.quantity.unit in units]  # type: ignore[operator]

    money = [q for q in quantities if q.quantity.unit not in NOT_MONEY]
    if etype == "product_launch":
        return []
    if etype == "price_cut":
        return having({"percent"}) or money
    if etype in ("offer", "migration_program"):
        return [q for q in quantities if q.quantity.unit not in ("percent", "jobs", "count")]
    if subtype in HEADCOUNT_SUBTYPES:
        return having({"jobs"}) or having({"percent"}) or money
    if etype == "announcement":  # "宣布裁员1.6万人", "will ... for 4.8 billion euros"
        return money or having({"jobs"})
    return money


def _acting(etype: str, subtype: str | None, subject: Mention, clause: Clause,
            knowledge: Knowledge) -> tuple[str, Mention] | None:
    """The event type and subject the actor kinds allow: a binding decision is an
    authority's ("Apple was fined by the Commission" is the Commission's policy), an
    authority's export ban is policy, and an authority launches no product."""
    kind = kind_of(subject, knowledge)
    if etype == "policy" and kind not in AUTHORITY_KINDS:
        authority = next((m for m in clause.mentions if kind_of(m, knowledge) in
                          AUTHORITY_KINDS and m.start not in clause.recipients), None)
        return (etype, authority) if authority is not None else None
    if kind in AUTHORITY_KINDS and etype in ACCESS_TYPES:
        return "policy", subject
    if kind in AUTHORITY_KINDS and etype == "other" and subtype == "recall":
        return "policy", subject  # a recall an authority orders binds the maker
    if kind in AUTHORITY_KINDS and etype in COMPANY_TYPES:
        return None
    return etype, subject


def _answers_other(subject: Mention, clause: Clause, knowledge: Knowledge) -> bool:
    """An authority's statement (a reply, protest, welcome) about another authority's act:
    the binding act in the same clause is the other's, not the speaker's."""
    return kind_of(subject, knowledge) in AUTHORITY_KINDS and any(
        m.slug != subject.slug and kind_of(m, knowledge) in AUTHORITY_KINDS
        for m in clause.mentions)


# The party centre co-signs the State Council's documents ("中共中央、国务院印发"): the
# state body is the issuer.
CO_SIGNERS = frozenset({"cpc-central-committee"})


def _root(slug: str, knowledge: Knowledge) -> str:
    seen = {slug}
    actor = knowledge.actors.get(slug)
    while actor is not None and actor.parent and actor.parent not in seen:
        seen.add(actor.parent)
        slug, actor = actor.parent, knowledge.actors.get(actor.parent)
    return slug


def joint_issuers(subjects: list[Mention], knowledge: Knowledge) -> list[Mention]:
    """"商务部、海关总署发布公告", "中共中央、国务院印发《意见》": authorities of one state
    named side by side (a "、" or a space between them) issue one act together; it is the
    lead issuer's, the first named (a co-signing party centre yields to the state body).
    "美国、日本" (two states) and "A and B" (a word between them) stay separate actors."""
    if len(subjects) < 2 or any(kind_of(m, knowledge) not in AUTHORITY_KINDS or m.referred
                                for m in subjects):
        return subjects
    ordered = sorted(subjects, key=lambda m: m.start)
    roots = {_root(m.slug, knowledge) for m in ordered if m.slug not in CO_SIGNERS}
    if len(roots) != 1 or any(b.start - a.end > 1 for a, b in pairwise(ordered)):
        return subjects
    lead = next((m for m in ordered if m.slug not in CO_SIGNERS), ordered[0])
    return [lead]


def build_drafts(
    clause: Clause,
    subjects: list[Mention],
    mode: str,
    types: list[tuple[str, str | None]],
    dates: list[DateMention],
    quantities: list[QuantityMention],
    products: list[ProductMention],
    knowledge: Knowledge,
    reference: ReferenceTime,
) -> list[Draft]:
    """One draft per (subject, event type) in the clause."""
    drafts = []
    subjects = joint_issuers(subjects, knowledge)
    subject_slugs = {s.slug for s in subjects}
    objects = tuple(
        m for m in clause.mentions
        if m.slug not in subject_slugs and (
            m.slug not in knowledge.actors or knowledge.actors[m.slug].kind != "media")
    )
    seen: set[tuple[str, str]] = set()
    replying = ("announcement", "statement") in types
    for named in subjects:
        for named_type, subtype in types:
            if replying and named_type == "policy" and _answers_other(named, clause, knowledge):
                continue  # "商务部就美商务部将…列入实体清单答记者问": the list is the other's
            fitted = _acting(named_type, subtype, named, clause, knowledge)
            if fitted is None or (fitted[0], fitted[1].slug) in seen:
                continue
            etype, subject = fitted
            seen.add((etype, subject.slug))
            # The family only matters with products (finding it reads every actor).
            family = related(subject.slug, knowledge) if products else set()
            own = [p for p in products if p.product.vendor in family]
            found = _pick_date(etype, dates, reference.value)
            if found is None:
                value, precision, basis = reference.undated()
            else:
                value, precision, basis = found.value, found.precision, found.basis
            pool = _quantity_pool(etype, subtype, quantities)
            qty = _own_quantity(subject, subjects, clause.mentions, pool)
            names: list[str | None] = list(dict.fromkeys(
                p.name for p in own  # "Claude (Claude 1)": the family name yields
                if not any(o.product is p.product and o.name != p.name for o in own)
                or p.name != p.product.name))
            # "X launched A, B and C": one launch per product (a launch is its product).
            chosen = ([None] if etype == "announcement" or not names
                      else names if etype == LAUNCH_TYPE else names[:1])
            others = tuple(o for o in objects if o.slug != subject.slug)
            for product in chosen:
                conf = confidence(mode, basis, qty is not None, product is not None,
                                  clause.headline)
                drafts.append(Draft(etype, subject, others, value, precision, basis, qty,
                                    product, conf, clause.sentence_start, clause.sentence_end,
                                    bool(found and found.effective), subtype))
    return drafts
