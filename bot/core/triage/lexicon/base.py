"""What every lexicon rule is made of, and the word lists several rules share.

Each dimension is one question the articles' decision framework asks (does the data change? must
answers cite sources? must output follow a format? has prompting been tried?). A rule matches
one phrasing of that dimension in a clause and says how strongly it speaks, and in which
direction (+1 the need is present, -1 it is absent: "static data", "no labelled data"). The
head group `h` is where a negation has to point for the rule to flip; `scope` says whether a
negation before the head, after it, both or neither can flip it (phrases that carry their own
negation, like "doesn't know our products", are never flipped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Scope = Literal["both", "before", "after", "none"]

# Sources a knowledge assistant answers from, in the words teams use for them.
STRONG_NOUNS = (
    r"wikis?|confluence|notion|sharepoint|intranet|google drive|knowledge ?bases?|kbs?"
    r"|help ?cent(?:er|re)s?|help (?:docs|articles)|support articles|faqs?|policies|policy docs?"
    r"|handbooks?|manuals?|sops?|standard operating procedures|procedures|runbooks?|playbooks?"
    r"|contracts?|catalog(?:ue)?s?|product (?:docs|documentation|data|info\w*|specs?|sheets?"
    r"|pages|descriptions|catalog(?:ue)?s?)|price ?lists?|pricing|prices|inventory|skus?"
    r"|specs|specifications|datasheets?|data sheets|regulations?|regulatory (?:texts|docs)"
    r"|case law|statutes|release notes|changelogs?|documentation|docs|codebase|code ?base"
    r"|customer records|patient records|medical records|crm|erp|database|records|tariffs"
    r"|benefits|terms and conditions|t&cs|terms of service|legal documents|service manuals"
    r"|past tickets|ticket history|resolved tickets|support histor(?:y|ies)|menus?"
    r"|timetables?|course materials?|syllabus|textbooks|case files|claims history|guidelines"
    r"|research papers|articles|laws|standards|reports archive|jira|zendesk|salesforce"
    r"|availability|fares|flight data|opening hours|store hours|schedules|order history"
    r"|(?:purchase|billing|payment|medical|claims?|transaction|browsing|service|tickets?"
    r"|interaction|conversation|case) history|charts?|lab results|labs|ehr|emr|case notes"
    r"|(?:return|refund|cancellation|travel|expense|leave|hr|insurance|warranty|shipping"
    r"|security|pricing) polic(?:y|ies)|policy (?:details|documents?|terms|wordings?|docs)"
    r"|google docs"
    r"|account data|transaction history"
)
WEAK_NOUNS = (
    r"documents?|files|pdfs?|content|data|information|info|knowledge|pages|reports|notes"
    r"|emails|tickets|slack (?:history|messages|threads)|spreadsheets?|transcripts|products"
    r"|product|orders|accounts|customers|stock|catalog|proposals|slack history"
)
POSSESSIVE = (
    r"our|internal|company|company's|in-house|proprietary|private|customer|client|my|own"
    r"|client's|customer's|user's|patient's|employee's|member's|team's|organi[sz]ation's"
    r"|corporate|enterprise|firm's|the company's|your|their"
)
ACCESS = (
    r"(?:answer\w*|respond\w*|repl(?:y|ies))\s+(?:\w+\s+){0,3}?(?:from|about|using|based on|on"
    r"|regarding|over|with)|look(?:s|ing)? (?:things )?up|lookup|search\w*|find\w*|retriev\w*"
    r"|quer(?:y|ying|ies)|q ?& ?a|q and a|question[- ]answering|questions? (?:about|on|over"
    r"|from|regarding)|ask\w* (?:about|questions)|chat (?:with|over)|talk to|grounded in"
    r"|based on|consult\w*|refer\w* to|pull\w* from|draws? on|knows?|know about|aware of"
    r"|over (?:our|the|all)|across (?:our|the|all)|(?:bot|assistant|copilot|chatbot|agent"
    r"|helpdesk|help desk|search engine)\b|using (?:our|the|internal|all)|as (?:a )?reference"
    r"|referenc\w*|check(?:s|ing)? (?:their|my|the|your|our)|personali[sz]\w*"
    r"|us(?:e|es|ed|ing) (?:the |all |all of )?(?:our|their|internal|company|customer|client"
    r"|patient|each)"
    r"|tailor\w*|access(?: to)?|draw(?:s|ing)? on"
)
CHANGE_VERBS = (
    r"chang\w*|updat\w*|revis\w*|refresh\w*|added|adds|publish\w*|releas\w*|ship\w*|rotat\w*"
    r"|edit\w*|modif\w*|adjust\w*|evolv\w*|fluctuat\w*|expir\w*|renew\w*|replac\w*|amend\w*"
    r"|repric\w*|roll(?:ed|s)? out|come out|comes out|go(?:es)? stale|sync\w*|re-?index\w*"
    r"|moves?|differ\w*|new (?:ones|versions?|items|products|skus|docs|articles|releases)"
)
STABLE = (
    r"(?:data|docs?|documents?|content|corpus|catalog\w*|knowledge|policies|information|info"
    r"|prices|manuals?|dataset|it|they|this|that|which|handbook|material)\s+(?:is\s+|are\s+"
    r"|stays?\s+|remains?\s+|basically\s+|pretty\s+|mostly\s+|fairly\s+|totally\s+|very\s+)+"
    r"(?P<h>static|stable|fixed|frozen|unchanging|the same|set in stone|evergreen)"
    r"|(?:data|docs?|documents?|content|corpus|policies|information|it|they)\s+(?:is|are)\s+"
    r"[\w-]+\s+(?:and|&)\s+(?P<h3>static|stable|fixed|frozen|unchanging)"
    r"|(?P<h2>static|stable|fixed|frozen|unchanging|evergreen|historical|archived?)\s+"
    r"(?:data|docs?|documents?|content|corpus|catalog\w*|knowledge|dataset|reference|archive"
    r"|set of)"
)


@dataclass(frozen=True, slots=True)
class Rule:
    """One phrasing of a dimension: the pattern, its strength and direction, its negation scope.

    `neg_strength` is the strength when a negation flips the rule ("haven't tried prompting"
    says more about prompt-first than "tried prompting" says about fine-tuning).
    """

    dimension: str
    pattern: re.Pattern[str]
    strength: float
    polarity: int = 1
    scope: Scope = "both"
    neg_strength: float | None = None


def rule(
    dimension: str,
    pattern: str,
    strength: float,
    polarity: int = 1,
    scope: Scope = "both",
    neg_strength: float | None = None,
) -> Rule:
    return Rule(dimension, re.compile(pattern), strength, polarity, scope, neg_strength)
