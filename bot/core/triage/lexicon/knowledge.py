"""Rules for knowledge needs: sources, citations, change, volume, precision, compliance."""

from __future__ import annotations

from bot.core.triage.lexicon.base import STABLE, STRONG_NOUNS, WEAK_NOUNS, Rule
from bot.core.triage.lexicon.base import rule as _r


def knowledge_rules() -> tuple[Rule, ...]:
    return (
        _r("citations", r"\b(?P<h>cit(?:e|es|ed|ing|ation|ations))\b", 1.5),
        _r(
            "citations",
            r"\b(?P<h>(?:source |document |data )?attribution|provenance|traceab\w*|auditab\w*"
            r"|audit trails?|verifiab\w*|footnotes?|audit(?:ors?|ed|ing)?)\b",
            1.3,
        ),
        _r(
            "citations",
            r"\b(?:show|include|give|list|link|provide|return|surface|display|point\w* to"
            r"|reference|with|name|add|attach|need|see|cite|check|verify|trace)\w*\s+"
            r"(?:\w+\s+){0,2}?(?P<h>sources?|source "
            r"(?:documents?|links?|passages?|urls?)|the (?:original |exact |relevant )?"
            r"(?:document|page|article|section|clause|paragraph)s?)\b(?! code)",
            1.4,
        ),
        _r(
            "citations",
            r"\b(?P<h>links?) (?:back )?to (?:the )?(?:sources?|docs?|documents?|articles?|pages?"
            r"|policy|policies|kb|originals?)\b|\b(?P<h2>(?:where|(?:which|what) [\w-]+)"
            r" (?:the |an |each |every |its )?(?:answer"
            r"|information|info|response|fact)s? (?:came|comes|come) from)|\b(?P<h3>sources?) "
            r"(?:for|of|behind) (?:each|every|the|its|their|all) (?:answers?|claims?|responses?"
            r"|statements?)",
            1.4,
        ),
        _r(
            "compliance",
            r"\b(?P<h>gdpr|ccpa|hipaa|right to be forgotten|data retention|retention polic\w*"
            r"|(?:delet|remov|purg|eras|withdraw)\w* (?:\w+ ){0,2}(?:data|records|documents|docs"
            r"|entries|information|content|files)|takedowns?|revok\w*|access controls?"
            r"|permissions?|role[- ]based|per[- ]user access|who can see|data residency)\b",
            1.2,
        ),
        _r(
            "compliance",
            r"\b(?P<h>regulated|regulatory|regulators?|compliance|compliant|legal risk"
            r"|liabilit\w*|finra|fda|sox)\b",
            0.8,
        ),
        _r(
            "precision",
            r"\b(?:their|his|her|(?:customer|user|client|patient|member|employee|account holder)"
            r"(?:'s|s'|s)?|my|your|each customer's|account)"
            r" (?:own |current |latest |recent |past )?(?P<h>balances?|transactions|orders?"
            r"|order (?:status|numbers?|details|history)"
            r"|delivery (?:dates?|status)|bookings?|reservations?|appointments?|claims?|bills?"
            r"|invoices?|statements?|shipments?|deliveries|subscriptions?|usage|plans?|coverage"
            r"|account(?: data| details| history)?)\b|\b(?P<h2>(?:gets?|getting|got) (?:our |the )?"
            r"(?:[\w-]+ ){0,2}(?:specs|facts|numbers|figures|details|dates|names|prices|policies"
            r"|features|products?|data|info\w*) wrong)",
            1.0,
        ),
        _r(
            "precision",
            r"\b(?P<h>hallucinat\w*|made[- ]up|mak\w* (?:things|stuff|facts|numbers|answers|"
            r"prices) up|confident(?:ly)? wrong|fabricat\w*|invent\w* (?:facts|numbers|answers"
            r"|prices|details)|must be (?:factually )?(?:correct|accurate|right|exact)"
            r"|can(?:no|')t be wrong|zero tolerance for (?:errors|mistakes)|factual(?:ly)? "
            r"(?:accura\w*|correct\w*|precis\w*|grounded))",
            1.0,
            scope="none",
        ),
        _r(
            "precision",
            r"\b(?:exact|precise|specific|correct|accurate|actual|individual)\s+(?:\w+\s+)?"
            r"(?P<h>figures|numbers|prices|amounts|values|dates|quotes|wording|clauses?|skus?"
            r"|records?|orders?|accounts?|balances?|part numbers|specs|details|facts|stock"
            r"|inventory|availability|status|identifiers|ids|policies|customers?)\b"
            r"|\b(?P<h2>order status|account balances?|stock levels?|inventory levels?"
            r"|tracking numbers?|shipment status|part numbers?|serial numbers?|policy numbers?)\b",
            1.0,
        ),
        _r(
            "missing",
            r"\b(?:doesn't|does not|don't|do not|can't|cannot|won't|didn't|never)\s+(?:\w+\s+)?"
            r"(?P<h>know|have access to|see|recogni[sz]e)\s+(?:\w+\s+){0,2}?(?:our|the|about"
            r"|anything|internal|recent|latest|new|any of|specific|current|customer|company"
            r"|product|this|these)",
            1.2,
            scope="none",
        ),
        _r(
            "missing",
            r"\b(?P<h>training cut-?off|knowledge cut-?off|after (?:its|the|their) cut-?off"
            r"|not in (?:its|the) training (?:data|set)|post-cutoff|recent (?:events|news"
            r"|releases|changes|papers|filings)|breaking news|news (?:articles|feeds?)"
            r"|today's|this week's)\b",
            1.2,
            scope="none",
        ),
        _r(
            "missing",
            r"\b(?P<h>(?:knowledge|information|info|data|facts|content|retrieval)(?: itself)?"
            r" (?:is|are|was)(?:n't| not) (?:the |an? |our )?(?:issue|problem|bottleneck|gap"
            r"|concern)|not (?:a |an )?(?:knowledge|information|data) (?:problem|issue|gap)"
            r"|(?:all|everything) (?:the )?(?:\w+ )?(?:inputs?|it needs|info\w*) (?:is|are) "
            r"(?:already )?in the (?:prompt|input|context|request)|(?:the )?(?:input|prompt|request"
            r"|context)s? (?:already )?(?:has|have|contains?|includes?|provides?)"
            r" (?:all|everything))",
            1.0,
            polarity=-1,
            scope="none",
        ),
        _r(
            "missing",
            r"\b(?P<h>proprietary|confidential|internal[- ]only|not public(?:ly available)?"
            r"|non-public|behind (?:our|the) firewall|private (?:data|docs|documents|information"
            r"|knowledge|content|repos?)|in-house (?:data|docs|knowledge))\b",
            1.0,
        ),
        _r(
            "missing",
            r"\b(?:so (?:that )?it|so (?:that )?the (?:model|bot|llm)|(?:model|bot|llm|it)"
            r" (?:needs to|should|must|has to|will|would)|to make it|make the model)\s+"
            r"(?P<h>knows?|learns?|memori[sz]es?|understands?|remembers?|absorbs?)\s+(?:all\s+)?"
            r"(?:about\s+)?(?:of\s+)?(?:our|the|every|all|each)\s+(?:\w+\s+)?(?:"
            + STRONG_NOUNS
            + r"|"
            + WEAK_NOUNS
            + r"|history|customers?)\b",
            1.2,
            scope="none",
        ),
        _r(
            "missing",
            r"\b(?P<h>(?:train|fine-?tun|teach)\w*) (?:it |the model |a model |an? llm |gpt\S* "
            r"|llama |mistral )?(?:on|with) (?:all )?(?:of )?(?:our|the|every|all) (?:\w+ ){0,2}?"
            r"(?:" + STRONG_NOUNS + r"|documents|products|data sheets)\b",
            1.0,
        ),
        _r(
            "changing",
            r"\b(?P<h>up[- ]to[- ]date|latest|most recent|freshest|current (?:prices|pricing"
            r"|stock|inventory|availability|rates|status|policies|version|info\w*|data|terms"
            r"|schedules?|offers?|promotions?)|live (?:\w+ )?(?:data|prices|pricing|inventory|stock"
            r"|feeds?|rates|scores|status|availability|fares|schedules?|positions|odds)"
            r"|real[- ]?time (?:data|prices|pricing|inventory|stock|info\w*|updates|status"
            r"|feeds?))\b",
            1.2,
        ),
        _r(
            "changing",
            r"\b(?P<h>stale|outdated|out of date|out-of-date|obsolete)\b",
            1.2,
            scope="after",
        ),
        _r(
            "changing",
            r"\b(?P<h>(?:constantly|frequently|continuously|continually|regularly|always|often"
            r"|keeps?|keep on) (?:chang|updat|evolv|revis|refresh|mov|grow)\w*|fast[- ]moving"
            r"|ever[- ]changing|chang\w* (?:a lot|all the time|constantly|frequently|often"
            r"|regularly)|frequent (?:updates|changes|revisions|releases))\b",
            1.4,
        ),
        _r("changing", STABLE, 1.0, polarity=-1, scope="none"),
        _r(
            "volume",
            r"\b(?P<h>(?:large|huge|massive|big|growing|extensive|vast|enormous|sprawling)"
            r" (?:\w+ )?(?:corpus|corpora|document (?:set|collection|base|store)|knowledge base"
            r"|catalog\w*|archive|library|repository|collection|amount of (?:docs|documents|text"
            r"|content|data|pdfs)|volume of (?:docs|documents|text|content|data|pdfs))"
            r"|tons of (?:docs|documents|pages|pdfs|content)|terabytes|gigabytes)\b",
            1.1,
        ),
        _r(
            "volume",
            r"\b(?P<h>(?:a |one )?(?:single|short|small|tiny|brief|one-page|two-page)"
            r" (?:[\w-]+ ){0,2}(?:doc|document|pdf|faq|page|policy|handbook|file|spreadsheet"
            r"|list|glossary|table)|(?:docs?|documents?|corpus|content|faq|material|knowledge"
            r" base|data|manual|handbook|reference material)(?: is| are)(?: \w+)? (?:tiny|small"
            r"|short|minimal)|fits? (?:in|into) (?:the|a|one) (?:prompt|context(?: window)?)"
            r"|a (?:few|couple of|handful of) (?:pages|docs|documents|faqs|pdfs|files))\b",
            1.0,
            polarity=-1,
            scope="none",
        ),
    )
