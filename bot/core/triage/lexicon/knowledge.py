"""Rules for knowledge needs: sources, citations, change, volume, precision, compliance."""

from __future__ import annotations

from bot.core.triage.lexicon.base import (
    DO_NOT,
    HISTORY_NOUNS,
    SOURCE_NOUNS,
    STABLE,
    STRONG_NOUNS,
    Rule,
)
from bot.core.triage.lexicon.base import rule as _r

# What a large corpus is an amount or volume of.
_BULK = r"docs | documents | text | content | data | pdfs"


def knowledge_rules() -> tuple[Rule, ...]:
    return (
        _r(
            "citations.cite-verb",
            "The verb or noun of citing: 'must cite the policy', 'citations on every answer'.",
            r"""
            \b(?P<h> cit(?:e|es|ed|ing|ation|ations) )\b
            """,
            1.5,
        ),
        _r(
            "citations.provenance",
            "Provenance words: attribution, traceable, auditable, audit trail, footnotes.",
            r"""
            \b(?P<h>
                (?:source[ ]|document[ ]|data[ ])?attribution | provenance
              | traceab\w* | auditab\w* | audit[ ]trails? | verifiab\w* | footnotes?
                # "answers surgeons can trace back to the paper"
              | trac(?:e|es|ed|ing)[ ](?:\w+[ ]){0,2}?back[ ]to[ ](?:the[ ]|its[ ]|their[ ])?
                (?:original[ ]|exact[ ])?(?:sources?|papers?|documents?|docs?|filings?|records?
                  |articles?|regulations?|guidelines?|contracts?|policy|policies|evidence)
                # the audit that will check the answers, not an audit team's work: "GxP
                # auditors will ask", "for the audit" (not "audit tooling", "new auditors read")
              | audited | (?:the|an|for|pass|survive|during|in)[ ]audits?
              | auditors?[ ](?:will|would|must|need|needs|want|wants|ask|asks|check|checks|require
                  |requires|expect|expects|can|should|have[ ]to|has[ ]to)
              | audit(?!(?:ors?|ing)?[ ](?:tool\w*|teams?|domains?|tasks?|work|reports?|findings?
                |firms?|staff|read|procedures?|cases?|issues?|programs?|plans?|use[ ]cases?))
                (?:ors?|ed|ing)?
                # "policy must be backed by evidence and real past cases"
              | backed[ ](?:up[ ])?by[ ](?:the[ ]|real[ ]|hard[ ]|published[ ])?(?:evidence
                  |sources?|references?|citations?|precedents?|documents?)
              | evidence[- ]based
            )\b
            """,
            1.3,
        ),
        _r(
            "citations.show-sources",
            "A verb of showing next to the source or original document: 'show the source'.",
            r"""
            # the verb: show, link, include, point to, ...
            \b(?:show|include|give|list|link|provide|return|surface|display|point\w*[ ]to
              |reference|with|name|add|attach|need|see|cite|check|verify|trace)\w*\s+
            (?:\w+\s+){0,2}?
            # what is shown: the sources, or the original page or clause
            (?P<h>
                sources?
              | source[ ](?:documents?|links?|passages?|urls?) | references
              | the[ ](?:original[ ]|exact[ ]|relevant[ ])?
                (?:document|page|article|section|clause|paragraph|lesson|chapter|passage|record
                  |provision|statute|act|ordinance|regulation|guideline|paper|filing)s?
                # "point to the actual provision": a legal unit, not "the actual document volume"
              | the[ ](?:actual|specific)[ ](?:provision|statute|article|section|clause|rule|law)s?
                # "officers must see the legal basis"
              | the[ ](?:legal|statutory|regulatory)[ ](?:basis|bases|grounds?)
                # "show the note / rule behind it"
              | the[ ](?:[\w/-]+[ ]){1,3}?(?:behind|supporting|backing)[ ](?:it|them|each|every
                  |the[ ]\w+)
                # "shows the act + section it relies on"
              | the[ ](?:[\w/+&-]+[ ]){0,3}?(?:sources?|documents?|docs|acts?|sections?|articles?
                  |clauses?|papers?|pages?|passages?|regulations?|laws?|guidelines?|rules?
                  |statutes?|polic(?:y|ies)|records?|provisions?)[ ]
                (?:it|they|each[ ]answer|the[ ]answer)[ ]
                (?:relies|rely|rests?|is[ ]based|are[ ]based|draws?|depends?)[ ]on
            )\b
            (?![ ]code)  # not "source code"
            """,
            1.4,
        ),
        _r(
            "citations.can-check",
            "Output a person must be able to check or defend: 'so the broker can check', 'a"
            " code they can defend to customs'.",
            r"""
            \b(?P<h>
                # "so" may have been cut as the clause's first word
                (?:so[ ](?:that[ ])?(?!it[ ]|we[ ]|i[ ])(?:(?:the|our|a|an|their)[ ])?
                | ^(?:the|our|a|an|they|he|she|users?|reviewers?|people|staff)[ ])
                (?:[\w-]+[ ])?can[ ](?:quickly[ ]|easily[ ]|still[ ])?(?:check|verify|validate
                  |audit|defend)(?![ ](?:the[ ])?(?:status|progress|whether[ ]it[ ]works))
              | (?:they|we|he|she|staff|brokers?|users?)[ ]can[ ]defend
              | able[ ]to[ ]defend
                # "get an answer they can verify", "answers clinicians can check"
              | (?:answers?|responses?|replies|outputs?|summar(?:y|ies)|drafts?)[ ]
                (?:that[ ])?(?:they|we|users|people|staff|readers|the[ ]\w+|our[ ]\w+|\w+s)[ ]
                can[ ](?:verify|check|trace|audit|double-check)\b(?![ ](?:the[ ])?status)
            )\b
            """,
            0.9,
        ),
        _r(
            "citations.link-back",
            "Answers pointing back to where they came from: 'link back to the doc', 'sources for"
            " each answer'.",
            r"""
            # "links back to the source page"
            \b(?P<h>links?)[ ](?:back[ ])?to[ ](?:the[ ])?
            (?:sources?|docs?|documents?|articles?|pages?|policy|policies|kb|originals?)\b
            # "where the answer came from", "which doc each answer comes from"
          | \b(?P<h2>
                (?:where|(?:which|what)[ ][\w-]+(?:[ ]or[ ][\w-]+)?)[ ]
                (?:the[ ]|an?[ ]|each[ ]|every[ ]|its[ ])?
                (?:answer|information|info|response|fact|statement|claim|sentence|figure|number
                  |advice|guidance|recommendation|suggestion)s?
                [ ](?:came|comes|come)[ ]from
            )
            # "say which document and page supports it"
          | \b(?P<h4>(?:say|show|tell|name|give)[ ]which[ ](?:\w+[ ]){1,4}?(?:supports?|backs?
                |justif\w*)[ ](?:it|the[ ]answer|each|every))
            # "sources for each answer"
          | \b(?P<h3>sources?)[ ](?:for|of|behind)[ ](?:each|every|the|its|their|all)[ ]
            (?:answers?|claims?|responses?|statements?)
            """,
            1.4,
        ),
        _r(
            "citations.quote-source",
            "Answers that must quote the document they rest on: 'answers must quote the filing',"
            " 'always quote the relevant guideline' (not a sales quote or a price).",
            r"""
            \b(?:must|should|needs?[ ]to|has[ ]to|have[ ]to|always|to)[ ]
            (?P<h>
                quot(?:e|es|ing)[ ](?:the|its|their|our)[ ]
                (?:original[ ]|exact[ ]|relevant[ ]|underlying[ ]|source[ ])?
                (?:filing|document|source|passage|text|policy|statute|law|article|paper
                  |guideline|label|contract|clause|section|record|manual|regulation|act|provision
                  |rule|standard|protocol)s?
            )\b
            """,
            1.4,
        ),
        _r(
            "compliance.data-rights",
            "Data-protection duties: GDPR, deleting data, retention, permissions, who can see.",
            r"""
            \b(?P<h>
                # laws and duties
                gdpr | ccpa | hipaa | right[ ]to[ ]be[ ]forgotten | data[ ]retention
              | retention[ ]polic\w*
                # removing content: "delete their records", "purge the docs"
              | (?:delet|remov|purg|eras|withdraw)\w*[ ](?:\w+[ ]){0,2}
                (?:data|records|documents|docs|entries|information|content|files)
              | takedowns? | revok\w*
                # who may see what
              | access[ ]controls? | permissions? | role[- ]based | per[- ]user[ ]access
              | who[ ]can[ ]see | data[ ]residency
            )\b
            """,
            1.2,
        ),
        _r(
            "compliance.regulated",
            "A regulated setting: regulatory, compliance, legal risk, liability, FINRA, FDA.",
            r"""
            \b(?P<h>
                regulated | regulatory | regulators? | compliance | compliant | legal[ ]risk
              | liabilit\w* | finra | fda | sox
            )\b
            """,
            0.8,
        ),
        _r(
            "precision.customer-records",
            "A customer's own records (their balance, order status), or the model getting facts"
            " wrong.",
            r"""
            # whose: "their", "the customer's", "my"
            \b(?:their|his|her
              |(?:customer|user|client|patient|member|employee|account[ ]holder)(?:'s|s'|s)?
              |my|your|each[ ]customer's|account)
            [ ](?:own[ ]|current[ ]|latest[ ]|recent[ ]|past[ ])?
            # the record: balance, orders, bookings, invoices, ...
            (?P<h>
                balances? | transactions | orders?(?![ ]of\b)  # not "his own order of derivations"
              | order[ ](?:status|numbers?|details|history)
              | delivery[ ](?:dates?|status) | bookings? | reservations? | appointments?
              | claims? | bills? | invoices? | statements? | shipments? | deliveries
              | subscriptions? | usage | (?<!my[ ])plans? | coverage  # not "my plan is to ..."
              | account(?:[ ]data|[ ]details|[ ]history)?
            )\b
            # "it gets our product specs wrong"
          | \b(?P<h2>
                (?:gets?|getting|got)[ ](?:our[ ]|the[ ])?(?:[\w-]+[ ]){0,2}
                (?:specs|facts|numbers|figures|details|dates|names|prices|policies|features
                  |products?|data|info\w*)[ ]wrong
                # "sometimes gives wrong doses", "quotes the wrong article numbers"
              | (?:gives?|giving|gave|quotes?|quoting|quoted|states?|cites?)[ ]
                (?:the[ ])?(?:\w+[ ])?wrong[ ](?:[\w-]+[ ])?
                (?:doses|dosages|figures|numbers|prices|dates|facts|amounts|citations
                  |references|values|rates|sections|articles)
            )
            """,
            1.0,
        ),
        _r(
            "precision.hallucination",
            "Made-up answers must not happen: hallucinates, makes things up, must be accurate.",
            r"""
            \b(?P<h>
                # making things up
                hallucinat\w* | made[- ]up
              | mak\w*[ ](?:things|stuff|facts|numbers|answers|prices)[ ]up
              | makes?[ ]up[ ](?:\w+[ ]){0,2}?(?:premiums|prices|numbers|facts|figures|rates
                  |policies|features|names|citations|cases|references|dates|sections|articles
                  |doses|statistics)
              | confident(?:ly)?[ ]wrong | fabricat\w*
              | invent\w*[ ](?:\w+[ ])?(?:facts|numbers|answers|prices|details|ids|identifiers
                  |names|functions|apis|features|citations|cases|articles|references|figures
                  |grades|doses|statistics|sections|clauses|quotes|codes|words|products
                  |settings|values|terms|fields|links|urls|steps|options|parameters|commands
                  |drugs|entities|labels|policies|rules|laws)
              | (?:cites?|suggests?|uses?|calls?|references?|invents?|names?|recommends?)[ ]
                (?:\w+[ ]){0,2}(?:that[ ])?(?:don't|do[ ]not|doesn't)[ ]exist
                # answers that must be right
              | must[ ]be[ ](?:factually[ ])?(?:correct|accurate|right|exact)
              | can(?:no|')t[ ]be[ ]wrong | zero[ ]tolerance[ ]for[ ](?:errors|mistakes)
              | factual(?:ly)?[ ](?:accura\w*|correct\w*|precis\w*|grounded)
                # "gets lore facts right", "facts must match the official data"
              | gets?[ ](?:the[ ]|all[ ]the[ ])?(?:[\w-]+[ ])?facts[ ](?:right|correct)
              | facts?[ ](?:must|have[ ]to|need[ ]to|should)[ ](?:be[ ])?(?:match|right|correct
                  |accurate|exact)
            )
            """,
            1.0,
            scope="none",
        ),
        _r(
            "precision.nonexistent-things",
            "Output naming things that aren't there: 'tables that don't exist', 'brands we don't"
            " even carry', 'commands not exist in the target version'.",
            r"""
            \b(?P<h>
                (?:tables?|columns?|fields?|commands?|functions?|apis?|endpoints?|parameters?
                  |arguments?|options?|features?|products?|brands?|items?|skus?|parts?|services?
                  |routes?|flights?|rooms?|courses?|classes|methods?|librar(?:y|ies)|packages?
                  |modules?|resources?|settings?|codes?|ids?|values?|models?|sections?|clauses?
                  |attributes?|flags?|metrics?|events?|fares?|plans?|offers?|tools?|numbers?)
                \s+(?:that\s+|which\s+)?(?:we\s+|they\s+|you\s+|it\s+)?(?:simply\s+)?
                (?:don't|do[ ]not|doesn't|does[ ]not|didn't|not|no[ ]longer|never|aren't
                  |are[ ]not|isn't|is[ ]not|were[ ]never|weren't)
                \s+(?:even\s+|actually\s+|really\s+|yet\s+)?
                (?:exist\w* | carry | sell | stock | offer | support | in[ ](?:our|the|this|that)
                  | real | available)
            )\b
            """,
            1.0,
            scope="none",
        ),
        _r(
            "precision.exact-values",
            "Exact values that must be right: 'exact prices', 'specific part numbers', 'order"
            " status'.",
            r"""
            # "exact figures", "the correct policy numbers"
            (?<!-)\b(?:exact|precise|specific|correct|accurate|actual|individual)\s+(?:\w+\s+)?
            (?P<h>
                figures | numbers | prices | amounts | values | dates | quotes | wording
              | clauses? | skus? | records? | orders? | accounts? | balances? | part[ ]numbers
              | specs | details | facts | stock | inventory | availability | status
              | identifiers | ids | policies | customers?
            )\b
            # values that are exact by nature
          | \b(?P<h2>
                order[ ]status | account[ ]balances? | stock[ ]levels? | inventory[ ]levels?
              | tracking[ ]numbers? | shipment[ ]status | part[ ]numbers? | serial[ ]numbers?
              | policy[ ]numbers?
            )\b
            """,
            1.0,
        ),
        _r(
            "missing.doesnt-know",
            "The model doesn't know (or can't see) the team's content: 'it doesn't know our"
            " products'.",
            r"""
            \b(?:"""
            + DO_NOT
            + r""" | can't | cannot | won't | didn't | never)\s+
            (?:\w+\s+)?
            (?P<h>know|have[ ]access[ ]to|see|recogni[sz]e)\s+
            # "doesn't know how our techs describe problems": a way of talking, not knowledge
            (?!how\s+(?:our|the|their)\s+(?:[\w-]+\s+){1,2}?(?:describe|describes|talk|talks|write
              |writes|say|says|phrase|phrases|call|calls|word|words|speak|speaks)\b)
            (?:\w+\s+){0,2}?
            # what it doesn't know
            (?:our|the|about|anything|internal|recent|latest|new|any[ ]of|specific|current
              |customer|company|product|this|these|much|enough|a[ ]lot|local)
            """,
            1.2,
            scope="none",
        ),
        _r(
            "missing.after-cutoff",
            "Facts newer than the model: training cutoff, recent events, today's news.",
            r"""
            \b(?P<h>
                # the cutoff itself
                training[ ]cut-?off | knowledge[ ]cut-?off
              | after[ ](?:its|the|their)[ ]cut-?off
              | not[ ]in[ ](?:its|the)[ ]training[ ](?:data|set) | post-cutoff
                # news and recent events
              | recent[ ](?:events|news|releases|changes|papers|filings) | breaking[ ]news
              | news[ ](?:articles|feeds?) | today's | this[ ]week's
            )\b
            """,
            1.2,
            scope="none",
        ),
        _r(
            "missing.not-a-knowledge-gap",
            "Knowledge is not the problem: 'data isn't the issue', 'everything is in the prompt'.",
            r"""
            \b(?P<h>
                # "knowledge isn't the bottleneck"
                (?:knowledge|information|info|data|facts|content|retrieval)(?:[ ]itself)?
                [ ](?:is|are|was)(?:n't|[ ]not)[ ](?:the[ ]|an?[ ]|our[ ])?
                (?:issue|problem|bottleneck|gap|concern)
                # "the problem isn't knowledge"
              | (?:problem|issue|gap|bottleneck)[ ](?:is|was)(?:n't|[ ]not)[ ](?:the[ ])?
                (?:knowledge|information|facts|data|content|retrieval)
                # "the complaint isn't missing facts"
              | (?:is|are|was)(?:n't|[ ]not)[ ](?:about[ ])?(?:missing|lacking)[ ]
                (?:facts|knowledge|information|info|content|data)
                # "not a knowledge problem"
              | not[ ](?:a[ ]|an[ ])?(?:knowledge|information|data|lookup|look-up|retrieval)
                [ ](?:problem|issue|gap|task)
                # "the gap is judgement, not lookup"
              | (?:judge?ment|reasoning|behaviou?r|style|format\w*|tone|consistency|writing
                  |wording|structure)\s*,?\s+not\s+(?:the\s+)?(?:lookup|look-up|retrieval
                  |knowledge|facts|information|recall)\b
                # the same cut into its own clause at the comma: "…, not lookup"
              | ^not[ ](?:a[ ])?(?:lookup|look-up)\b
                # "misses are mostly terminology, not missing facts"
              | not[ ](?:missing|lacking|absent)[ ](?:facts|knowledge|information|info|content)
                # "everything it needs is already in the prompt"
              | (?:all|everything)[ ](?:the[ ])?(?:\w+[ ])?(?:inputs?|it[ ]needs|info\w*)
                [ ](?:is|are)[ ](?:already[ ])?in[ ]the[ ](?:prompt|input|context|request)
                # "the request already contains everything"
              | (?:the[ ])?(?:input|prompt|request|context)s?[ ](?:already[ ])?
                (?:has|have|contains?|includes?|provides?)[ ](?:all|everything)
                # "the facts are all inside the conversation itself"
              | (?:the[ ])?(?:facts|information|info|everything[ ]it[ ]needs)[ ](?:is|are)[ ]
                (?:all[ ])?(?:already[ ])?(?:inside|in|within)[ ]the[ ]
                (?:conversation|input|transcript|call|email|ticket|document|text|request|message
                  |recording|note)s?\b
                # "we don't need outside info"
              | (?:"""
            + DO_NOT
            + r"""|won't)[ ]need[ ](?:any[ ])?
                (?:outside|external|extra|additional|other)[ ](?:info\w*|knowledge|data|facts
                  |sources|documents)
              | no[ ](?:outside|external)[ ](?:info\w*|knowledge|data|facts|sources)
                [ ](?:is[ ]|are[ ])?(?:needed|required|involved)
            )
            """,
            1.0,
            polarity=-1,
            scope="none",
        ),
        _r(
            "missing.private-data",
            "Content that is not public: proprietary, confidential, internal-only, behind the"
            " firewall.",
            r"""
            \b(?P<h>
                proprietary | confidential | internal[- ]only | not[ ]public(?:ly[ ]available)?
              | non-public | behind[ ](?:our|the)[ ]firewall
              | private[ ](?:data|docs|documents|information|knowledge|content|repos?)
              | in-house[ ](?:data|docs|knowledge)
            )\b
            """,
            1.0,
        ),
        _r(
            "missing.make-it-know",
            "Wanting the model itself to know the content: 'so it knows all our products'.",
            r"""
            # "so that it", "the bot should", "make the model"
            \b(?:so[ ](?:that[ ])?it | so[ ](?:that[ ])?the[ ](?:model|bot|llm)
              | (?:model|bot|llm|it)[ ](?:needs[ ]to|should|must|has[ ]to|will|would)
              | to[ ]make[ ]it | make[ ]the[ ]model)\s+
            # the verb of knowing
            (?P<h>knows?|learns?|memori[sz]es?|understands?|remembers?|absorbs?)\s+
            (?:all\s+)?(?:about\s+)?(?:of\s+)?(?:our|the|every|all|each)\s+(?:\w+\s+)?
            # the content
            (?:"""
            + SOURCE_NOUNS
            + r"""
              | history | customers?)\b
            """,
            1.2,
            scope="none",
        ),
        _r(
            "missing.past-sessions",
            "What a user said or did in earlier sessions, to be remembered: 'it forgets"
            " everything between sessions', 'remember every mistake I've made'.",
            r"""
            \b(?P<h>
                # "it forgets everything between sessions", "loses it by the next visit"
                (?:forgets|forgot|loses)\s+(?:[\w']+\s+){0,4}?
                (?:between|across|after|from[ ]one|by[ ]the[ ]next|by[ ]next)\s+(?:\w+\s+)?
                (?:sessions?|conversations?|chats?|visits?|calls?|lessons?|appointments?
                  |check-ins?|weeks?)
                # "no memory of past conversations"
              | no\s+(?:long[- ]term\s+)?memory\s+(?:of|between|across)\s+(?:\w+\s+)?
                (?:sessions?|conversations?|chats?|visits?|calls?|lessons?|interactions?)
                # "the bigger issue is memory", "it needs long-term memory"
              | (?:issue|problem|gap|need|thing)\s+is\s+(?:its\s+|the\s+)?memory
                (?!\s+(?:usage|use|footprint|limits?|leaks?|bandwidth|pressure))
              | (?:needs?|wants?|lacks?|without|no)\s+(?:any\s+)?(?:long[- ]term|persistent
                  |cross-session|per-user)\s+memory
                # "remember every mistake I've made", "recall what the patient told it"
              | (?:remember|recall|keep[ ]track[ ]of)\s+(?:every|all|each|what|everything)\s+
                (?:[\w-]+\s+){0,3}?(?:i|i've|they|they've|he|she|users?|customers?|patients?
                  |students?|learners?|clients?|the[ ](?:user|customer|patient|student|learner
                  |client))\s+(?:\w+\s+)?
                (?:said|told|made|mentioned|asked|did|wrote|shared|had|struggled)
            )\b
            """,
            1.1,
            scope="none",
        ),
        _r(
            "missing.train-on-sources",
            "Training or fine-tuning a model on the team's sources: 'fine-tune it on our docs'.",
            r"""
            \b(?P<h>(?:train|fine-?tun|teach)\w*)[ ]
            # the model, if named
            (?:it[ ]|the[ ]model[ ]|a[ ]model[ ]|an?[ ]llm[ ]|gpt\S*[ ]|llama[ ]|mistral[ ])?
            (?:on|with)[ ](?:all[ ])?(?:of[ ])?(?:our|the|every|all)[ ]
            # not a history of work ("fine-tune on our records"): that is training data
            (?!(?:[\w-]+[ ]){0,2}(?:"""
            + HISTORY_NOUNS
            + r""")\b)
            (?:\w+[ ]){0,2}?
            # the sources
            (?:"""
            + STRONG_NOUNS
            + r"""
              | documents | products | data[ ]sheets)\b
            """,
            1.0,
        ),
        _r(
            "changing.current-data",
            "Answers need current values: up to date, latest, current prices, live or real-time"
            " data.",
            r"""
            \b(?P<h>
                up[- ]to[- ]date | latest | most[ ]recent | freshest
                # "the current work instructions"
              | current[ ](?:[\w-]+[ ])?(?:instructions|procedures|guidance|guidelines|rules
                  |regulations|specs|documentation|version[ ]of[ ]the[ ](?:docs|policy|manual))
                # "current prices"
              | current[ ](?:prices|pricing|stock|inventory|availability|rates|status|policies
                  |version|info\w*|data|terms|schedules?|offers?|promotions?)
                # "live inventory", "live flight data"
              | live[ ](?:\w+[ ])?(?:data|prices|pricing|inventory|stock|feeds?|rates|scores
                  |status|availability|fares|schedules?|positions|odds)
                # "real-time stock"
              | real[- ]?time[ ](?:data|prices|pricing|inventory|stock|info\w*|updates|status
                  |feeds?)
            )\b
            """,
            1.2,
        ),
        _r(
            "changing.stale",
            "Content going stale or out of date.",
            r"""
            \b(?P<h> stale | outdated | out[ ]of[ ]date | out-of-date | obsolete )\b
            """,
            1.2,
            scope="after",
        ),
        _r(
            "changing.constantly-changing",
            "Content that changes all the time: 'constantly updated', 'fast-moving', 'frequent"
            " releases'.",
            r"""
            \b(?P<h>
                # "constantly changing", "keeps growing"
                (?:constantly|frequently|continuously|continually|regularly|always|often
                  |keeps?|keep[ ]on)[ ](?:chang|updat|evolv|revis|refresh|mov|grow)\w*
              | fast[- ]moving | ever[- ]changing
                # "changes all the time"
              | chang\w*[ ](?:a[ ]lot|all[ ]the[ ]time|constantly|frequently|often|regularly)
              | frequent[ ](?:updates|changes|revisions|releases)
                # "amendments are coming", "pending revisions": the content is about to change
              | (?:amendments?|revisions|updates|changes|new[ ]versions)[ ](?:are|keep)[ ]
                (?:coming|on[ ]the[ ]way|expected|pending|due)(?![ ](?:from|to|in[ ]from)\b)
              | (?:upcoming|pending|planned|forthcoming)[ ](?:amendments?|revisions)
                # "~90 drugs so far, more coming", "with more on the way"
              | (?:(?:so[ ]far|for[ ]now|now)[, ]+|^)(?:and[ ]|with[ ]|but[ ])?more[ ]
                (?:are[ ]|is[ ]|will[ ]be[ ])?(?:coming|on[ ]the[ ]way|to[ ]come|being[ ]added)
                (?=\W*$)
                # "amendments must be reflected as soon as they're gazetted"
              | reflected[ ](?:as[ ]soon[ ]as|immediately|right[ ]away|the[ ]day|within)
              | as[ ]soon[ ]as[ ](?:they|it|new[ ]ones?)(?:'re|'s|[ ]are|[ ]is|[ ]get|[ ]gets)[ ]
                (?:gazetted|published|issued|released|amended|enacted|announced|updated|changed)
                # "new filings land every quarter"
              | new[ ][\w-]+[ ](?:land|arrive|come[ ]in|appear|get[ ]published|are[ ]published)
                [ ](?:every|each)[ ](?:day|week|month|quarter)
                # "changes when we add tooling", "gets updated whenever a regulator issues one"
              | (?:changes?|changed|(?:gets?|is|are)[ ](?:updated|revised|amended|changed)
                  |updates)[ ](?:whenever|every[ ]time|each[ ]time|as[ ]soon[ ]as|when)[ ]
                (?:a[ ]|the[ ])?(?:we|they|someone|ops|legal|regulators?|new)[ ]
                (?:add|adds|added|buy|change|changes|issue|issues|release|releases|publish
                  |publishes|launch|launches|get|gets|install|swap|update|updates|onboard)
            )\b
            """,
            1.4,
        ),
        _r(
            "changing.stable-data",
            "Content that does not change: 'the data is static', 'static docs', 'archived"
            " reports'.",
            STABLE,
            1.0,
            polarity=-1,
            scope="none",
        ),
        _r(
            "volume.large-corpus",
            "A large body of content: 'huge corpus', 'massive archive', 'tons of PDFs', terabytes.",
            r"""
            \b(?P<h>
                # "a huge document collection", "a vast amount of text"
                (?:large|huge|massive|big|growing|extensive|vast|enormous|sprawling)[ ]
                (?:\w+[ ])?
                (?:corpus | corpora | document[ ](?:set|collection|base|store) | knowledge[ ]base
                  | catalog\w* | archive | library | repository | collection
                  | piles?[ ]of | stacks?[ ]of | heaps?[ ]of | troves?[ ]of | mountains?[ ]of
                  | amount[ ]of[ ](?:"""
            + _BULK
            + r""") | volume[ ]of[ ](?:"""
            + _BULK
            + r"""))
              | tons[ ]of[ ](?:\w+[ ])?(?:docs|documents|pages|pdfs|content|manuals)
              | terabytes | gigabytes
                # "the nomenclature + explanatory notes are huge"
              | (?:"""
            + SOURCE_NOUNS
            + r"""
                  | nomenclatures? | codebooks? | taxonom(?:y|ies) | documentation | archives?
                  | librar(?:y|ies) | lore | rulebooks? | standards)
                [ ](?:is|are)[ ](?:really[ ]|just[ ]|absolutely[ ])?(?:huge|massive|enormous|vast
                  |gigantic|sprawling)
            )\b
            """,
            1.1,
        ),
        _r(
            "volume.small-corpus",
            "Content small enough for the prompt: 'a single short doc', 'fits in the context'.",
            r"""
            \b(?P<h>
                # "a single one-page policy"
                (?:a[ ]|one[ ])?(?:single|short|small|tiny|brief|one-page|two-page)[ ]
                (?:[\w-]+[ ]){0,2}
                (?:doc|document|pdf|faq|page|policy|handbook|file|spreadsheet|list|glossary
                  |table)
                (?![ ]?(?:excerpts?|snippets?|summar\w*|chunks?|passages?|extracts?))
                # "the docs are tiny"
              | (?:docs?|documents?|corpus|content|faq|material|knowledge[ ]base|data|manual
                  |handbook|reference[ ]material)(?:[ ]is|[ ]are)(?:[ ]\w+)?[ ]
                (?:tiny|small|short|minimal)
                # "fits in the context window"
              | (?<!n't[ ])(?<!not[ ])(?<!never[ ])fits?[ ](?:in|into)[ ](?:the|a|one)[ ]
                (?:prompt|context(?:[ ]window)?)
              | a[ ](?:few|couple[ ]of|handful[ ]of)[ ](?:pages|docs|documents|faqs|pdfs|files)
            )\b
            """,
            1.0,
            polarity=-1,
            scope="none",
        ),
    )
