"""What every lexicon rule is made of, and the word lists several rules share.

Each dimension is one question the articles' decision framework asks (does the data change? must
answers cite sources? must output follow a format? has prompting been tried?). A rule matches
one phrasing of that dimension in a clause and says how strongly it speaks, and in which
direction (+1 the need is present, -1 it is absent: "static data", "no labelled data"). The
head group `h` is where a negation has to point for the rule to flip; `scope` says whether a
negation before the head, after it, both or neither can flip it (phrases that carry their own
negation, like "doesn't know our products", are never flipped).

Every rule has an id, `<dimension>.<slug>`, and a one-line description; its example sentences
(ones that must hit, near misses that must not) are in tests/triage/rules/<dimension>.yaml.

Patterns are written in `re.VERBOSE` mode: whitespace is layout and `#` starts a comment, so a
space that must match is written `[ ]`. The word lists below are verbose fragments (bare
alternations, no enclosing group) meant to be pasted into a group: `(?:` + LIST + `)`. Every
word list lives once, here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Scope = Literal["both", "before", "after", "none"]

# Sources a knowledge assistant answers from, in the words teams use for them.
STRONG_NOUNS = r"""
    # wikis, knowledge bases, help centres
    wikis? | confluence | notion | sharepoint | intranet | google[ ]drive | knowledge[ ]?bases?
  | knowledge[ ]graphs? | ontolog(?:y|ies)
  | kbs? | help[ ]?cent(?:er|re)s? | help[ ](?:docs|articles) | support[ ]articles | faqs?
    # policies, manuals, procedures
  | policies | policy[ ]docs? | handbooks? | sops? | standard[ ]operating[ ]procedures
    # "manual" the noun, not the adjective ("manual review", "manual abstraction")
  | manuals? (?![ ](?:review|abstraction|work|process|labou?r|steps?|effort|entry|checks?
      |tagging|triage|intervention|override|coding|labell?ing|data[ ]entry))
  | procedures | runbooks? | playbooks? | contracts? | (?:clinical[ ]|local[ ]|our[ ])protocols
    # catalogues, product data, prices
  | catalog(?:ue)?s?
  | product[ ](?:docs|documentation|data|info\w*|specs?|sheets?|pages|descriptions
      |catalog(?:ue)?s?)
  | price[ ]?lists? | pricing | prices | inventory | skus? | specs | specifications
  | datasheets? | data[ ]sheets
    # law and regulation
  | regulations? | regulatory[ ](?:texts|docs) | case[ ]law | statutes
    # engineering documentation
  | release[ ]notes | changelogs? | documentation | docs | codebase | code[ ]?base
    # records and business systems
  | customer[ ]records | patient[ ]records | medical[ ]records | crm | erp | database | records
  | tariffs | benefits | terms[ ]and[ ]conditions | t&cs | terms[ ]of[ ]service
  | legal[ ]documents | service[ ]manuals
    # support history
  | past[ ]tickets | ticket[ ]history | resolved[ ]tickets | support[ ]histor(?:y|ies)
    # menus, timetables, teaching and research material
  | menus? | timetables? | course[ ]materials? | syllabus | case[ ]files
    # the book, not "textbook reasoning", "a textbook example"
  | textbooks?(?![ ](?:reasoning|examples?|cases?|answers?|definitions?|explanations?|style))
  | lecture[ ](?:slides|notes|recordings|transcripts) | filings | repos? | monorepo
  | claims[ ]history | guidelines | research[ ]papers | articles | laws | standards
  | reference[ ](?:materials? | texts | content | docs | documents | works | library)
  | reports[ ]archive
    # tools that hold the data
  | jira | zendesk | salesforce
    # availability and schedules
  | availability | fares | flight[ ]data | opening[ ]hours | store[ ]hours | schedules
  | order[ ]history
    # histories and clinical records
  | (?:purchase|billing|payment|medical|claims?|transaction|browsing|service|tickets?
      |interaction|conversation|case|maintenance|repair|work[ ]order)[ ]history
  | curriculum(?:[ ]materials?)?
  | charts? | lab[ ]results | labs | ehr | emr | case[ ]notes
    # named policies
  | (?:return|refund|cancellation|travel|expense|leave|hr|insurance|warranty|shipping
      |security|pricing)[ ]polic(?:y|ies)
  | policy[ ](?:details|documents?|terms|wordings?|docs)
  | google[ ]docs
  | account[ ]data | transaction[ ]history
"""
# Histories of work people did: trained on, they are examples of a behaviour ("fine-tune on our
# records"), not a library the model must look things up in ("fine-tune on our docs").
HISTORY_NOUNS = r"""
    records | (?:[\w-]+[ ])?histor(?:y|ies) | (?:case[ ]|clinical[ ]|visit[ ])?notes | charts?
  | ehrs? | emrs? | tickets | transcripts | filings | logs | emails | conversations | chats
  | claims | cases
"""
# Human languages a model may write badly ("stiff, broken Swahili").
LANGUAGES = r"""
    english | swahili | german | french | spanish | portuguese | italian | dutch | polish
  | arabic | hindi | japanese | korean | chinese | mandarin | cantonese | vietnamese | thai
  | indonesian | malay | turkish | russian | ukrainian | hebrew | greek | czech | swedish
  | norwegian | danish | finnish | hungarian | romanian | tagalog | filipino | bengali | urdu
  | tamil | telugu | marathi | amharic | yoruba | hausa | zulu | welsh | irish | basque
  | catalan | icelandic | estonian | latvian | lithuanian | farsi | persian
"""
# Words for content that are sources only in context ("our data", "the documents").
WEAK_NOUNS = r"""
    documents? | files | pdfs? | content | data | information | info | knowledge | pages
  | reports | notes | emails | tickets | slack[ ](?:history|messages|threads) | spreadsheets?
  | transcripts | products | product | orders | accounts | customers | stock | catalog
  | proposals | slack[ ]history | texts | corpus | corpora | literature
"""
# Any source noun, strong or weak.
SOURCE_NOUNS = STRONG_NOUNS + "|" + WEAK_NOUNS
# Whose the content is: "our", "internal", "the customer's".
POSSESSIVE = r"""
    our | internal | company | company's | in-house | proprietary | private | customer | client
  | my | own | client's | customer's | user's | patient's | employee's | member's | team's
  | organi[sz]ation's | corporate | enterprise | firm's | the[ ]company's | your | their
"""
# Verbs and nouns of looking things up in, or answering from, a source.
ACCESS = r"""
    # answering from / about something
    (?:answer\w*|respond\w*|repl(?:y|ies))\s+(?:\w+\s+){0,3}?
    (?:from|about|using|based[ ]on|on|regarding|over|with)
    # looking up, searching, retrieving
  | look(?:s|ing)?[ ](?:things[ ])?up | lookup | search\w* | find\w* | retriev\w*
  | quer(?:y|ying|ies)
    # question answering
  | q[ ]?&[ ]?a | q[ ]and[ ]a | question[- ]answering
  | questions?[ ](?:about|on|over|from|regarding) | ask\w*[ ](?:about|questions)
  | chat[ ](?:with|over) | talk[ ]to
    # grounded in, drawing on a source
  | grounded[ ]in | based[ ]on | consult\w* | refer\w*[ ]to | pull\w*[ ]from | draws?[ ]on
  | pull(?:s|ing)?[ ](?:in[ ])?(?:the|our|their|each)
  | knows? | know[ ]about | aware[ ]of
  | over[ ](?:our|the|all) | across[ ](?:our|the|all)
    # an assistant that answers
  | (?:bot|assistant|copilot|chatbot|agent|helpdesk|help[ ]desk|search[ ]engine)\b
    # using the team's own data
  | using[ ](?:our|the|internal|all) | as[ ](?:a[ ])?reference | referenc\w*
  | check(?:s|ing)?[ ](?:their|my|the|your|our) | personali[sz]\w*
  | us(?:e|es|ed|ing)[ ](?:the[ ]|all[ ]|all[ ]of[ ])?
    (?:our|their|internal|company|customer|client|patient|each)
  | tailor\w* | access(?:[ ]to)? | draw(?:s|ing)?[ ]on
"""
# Verbs (and a few phrases) of content changing or being replaced.
CHANGE_VERBS = r"""
    # not "we ship changes weekly" (the team's own releases)
    (?<!ship[ ])(?<!deploy[ ])chang\w*
  | updat\w*\b(?!\s*[:—–])  # not the "update:" that opens a follow-up
  | revis\w* | refresh\w* | added | adds | publish\w* | releas\w*
  | grows? | growing | grew
  | ship\w*(?![ ](?:changes|fixes|code|features|improvements))  # not "we ship changes weekly"
  | rotat\w* | edit\w*\b(?!\s*[:—–])  # nor "edit:"
  | modif\w* | adjust\w* | evolv\w* | fluctuat\w* | expir\w*
  | renew\w* | replac\w* | amend\w* | repric\w*
  | roll(?:ed|s)?[ ]out | come[ ]out | comes[ ]out | go(?:es)?[ ]stale | sync(?:s|ed|ing)?\b
  | re-?index\w*
  | moves? | differ\w*
  | (?<!night[ ])(?<!day[ ])(?<!work[ ])(?<!our[ ])(?<!the[ ])shift(?:s|ed|ing)?  # "night shifts"
  | retir(?:e|es|ed|ing) | deprecat\w* | discontinu\w*
  | (?:add|adding)[ ](?:and|or)[ ](?:pause|remove|retire|drop)\w*
  | new[ ](?:ones|versions?|items|products|skus|docs|articles|releases|editions?|firmware
      |models|rules|regulations|guidance|tables|listings|ads|connectors)
"""
# Adjectives of content that does not change.
STABLE_WORDS = r"static | stable | fixed | frozen | unchanging"
# Content that does not change: "the data is static", "docs are small and fixed", "static docs".
STABLE = (
    r"""
    # subject, copula, adjective: "the handbook is basically static"
    (?:data|docs?|documents?|content|corpus|catalog\w*|knowledge|policies|information|info
      |prices|manuals?|dataset|it|they|this|that|which|handbook|material)\s+
    (?:is\s+|are\s+|stays?\s+|remains?\s+|basically\s+|pretty\s+|mostly\s+|fairly\s+
      |totally\s+|very\s+)+
    (?P<h>"""
    + STABLE_WORDS
    + r"""
      | the[ ]same | set[ ]in[ ]stone | evergreen)
    # one adjective, then "and static": "the docs are small and fixed"
  | (?:data|docs?|documents?|content|corpus|policies|information|it|they)\s+(?:is|are)\s+
    [\w-]+\s+(?:and|&)\s+
    (?P<h3>"""
    + STABLE_WORDS
    + r""")
    # adjective before the noun: "static docs", "an archived dataset"
  | (?P<h2>"""
    + STABLE_WORDS
    + r"""
      | evergreen | historical | archived?)\s+
    (?:data|docs?|documents?|content|corpus|catalog\w*|knowledge|dataset|reference|archive
      |set[ ]of)
"""
)
# What people call a prompt: "prompting", "the system prompt", "few-shot examples".
# Prompting techniques by name: what shows examples in a count sit in the prompt.
PROMPT_TECHNIQUES = r"""
    few[- ]shot(?:[ ]examples)? | in-context[ ]examples | worked[ ]examples | chain[- ]of[- ]thought
  | step-by-step[ ]reasoning
"""
PROMPT_WORDS = (
    r"""
    prompt(?:s|ing|[ ]engineering)? | system[ ]prompts? | examples[ ]in[ ]the[ ]prompt
  | instructions | """
    + PROMPT_TECHNIQUES
)
# What people did to mark each item by hand: the participles of labelling ("tickets our agents
# tagged", "hand-coded ~1,500 documents", "already scored by our QA analysts").
LABELLED = r"""
    labell?ed | annotated | tagged | coded | classified | graded | scored | categori[sz]ed | rated
"""
# After "too long" (or "too big"): the input is too large for the prompt, not the answer too long
# ("too long to paste", "too long for the context window"): a negative look-ahead pasted after
# the adjective.
INPUT_TOO_LONG = r"""
    (?![ ](?:and[ ]\w+[ ])?(?:to[ ](?:paste|fit|put|stuff|include|send|read|feed|process)
      |for[ ](?:the[ ]|a[ ]|one[ ]|our[ ]|its[ ]|any[ ])?(?:context|prompt|window|model|llm
        |single|token|input)))
"""
# After a behaviour's noun: that behaviour already right, so not a need ("terminology and
# relevance looked good", "the tone is fine"): a negative look-ahead pasted after the noun.
ALREADY_RIGHT = r"""
    (?!(?:[ ]and[ ][\w-]+)?[ ](?:looked|looks|look|is|are|was|were|seems?|seemed)
      (?:…|\.\.\.)?[ ]?(?:already[ ]|mostly[ ]|really[ ]|pretty[ ]|quite[ ])?
      (?:good|fine|great|ok|okay|right
        |correct|solid|strong|spot[ ]on)\b)
"""
# "doesn't", "does not", "don't", "do not" (no two match at the same place, so order is free).
DO_NOT = r"doesn't | does[ ]not | don't | do[ ]not"
# Hosted chat models named by brand.
CHAT_MODELS = r"gpt\S* | chatgpt | claude"
# Data-interchange formats.
DATA_FORMATS = r"json | xml | yaml"
# What a format complaint is about: "the output", "our responses", "the json".
OUTPUT_NOUNS = r"format\w* | output\w* | structure | responses? | json"


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What the catalogue says about a rule or a computed detector."""

    id: str
    dimension: str
    description: str


@dataclass(frozen=True, slots=True)
class Rule:
    """One phrasing of a dimension: the pattern, its strength and direction, its negation scope.

    `neg_strength` is the strength when a negation flips the rule ("haven't tried prompting"
    says more about prompt-first than "tried prompting" says about fine-tuning).
    """

    id: str
    dimension: str
    description: str
    pattern: re.Pattern[str]
    strength: float
    polarity: int = 1
    scope: Scope = "both"
    neg_strength: float | None = None

    @property
    def info(self) -> RuleInfo:
        return RuleInfo(self.id, self.dimension, self.description)


def dimension_of(rule_id: str) -> str:
    """The dimension an id belongs to: "changing.stable-data" -> "changing"."""
    return rule_id.partition(".")[0]


def rule(
    rule_id: str,
    description: str,
    pattern: str,
    strength: float,
    *,
    polarity: int = 1,
    scope: Scope = "both",
    neg_strength: float | None = None,
) -> Rule:
    """A rule with id `<dimension>.<slug>`; `pattern` is compiled in verbose mode."""
    return Rule(
        rule_id,
        dimension_of(rule_id),
        description,
        re.compile(pattern, re.VERBOSE),
        strength,
        polarity,
        scope,
        neg_strength,
    )


def detector(rule_id: str, description: str) -> RuleInfo:
    """The catalogue entry of a computed detector in `signals`."""
    return RuleInfo(rule_id, dimension_of(rule_id), description)
