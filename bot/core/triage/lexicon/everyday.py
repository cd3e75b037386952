"""Rules for needs said in everyday words rather than in the articles' vocabulary.

Teams rarely write "we need a consistent tone of voice" or "prompting has hit its limit"; they
write "it sounds like a brochure, not like our engineers", "the summaries keep missing the
headings our auditors expect", "we iterated on the instructions for a month". And the data they
have is often not a knowledge base at all but a history of inputs paired with what people
produced from them ("tickets with the replies that closed them", "descriptions our copywriters
wrote") — training data for a behaviour. These rules read those phrasings into the same
dimensions as the rest of the lexicon.
"""

from __future__ import annotations

from bot.core.triage.lexicon.base import (
    DO_NOT,
    INPUT_TOO_LONG,
    LABELLED,
    LANGUAGES,
    STRONG_NOUNS,
    Rule,
)
from bot.core.triage.lexicon.base import rule as _r

# The people whose work a model is meant to reproduce.
_PEOPLE = r"""
    (?:agents?|experts?|engineers?|doctors?|clinicians?|nurses?|lawyers?|attorneys?|paralegals?
      |brokers?|analysts?|radiologists?|agronomists?|copywriters?|writers?|editors?|stylists?
      |staff|team|specialists?|reviewers?|coders?|annotators?|underwriters?|adjusters?
      |accountants?|auditors?|advisers?|advisors?|consultants?|recruiters?|translators?
      |teachers?|tutors?|support[ ]reps?|reps|humans?|people|colleagues|customer[ ](?:center
      |centre|service|care)|dispatchers?|technicians?|pharmacists?|scientists?|developers?
      |litigators?|associates?|counsel|instructors?|lecturers?|bankers?|traders?|professors?|researchers?|librarians?
      |planners?|inspectors?|mechanics?|operators?|marketers?|designers?|architects?|techs?
      |[a-z]+ologists?|[a-z]+icians?|[a-z]+ists)
"""
# What people produced from an input: the outputs a model would learn to produce.
_OUTPUTS = r"""
    (?:repl(?:y|ies)|responses?|answers?|codes?|labels?|categor(?:y|ies)|summar(?:y|ies)|copy
      |types?|class(?:es)?|ratings?|priorit(?:y|ies)|severit(?:y|ies)
      |translations?|sql|quer(?:y|ies)|decisions?|outcomes?|resolutions?|notes?|reports?
      |descriptions?|corrections?|edits?|scores?|grades?|rulings?|classifications?|tags?
      |diagnos[ie]s|verdicts?|rationales?|comments?|explanations?|messages?|emails?|drafts?
      |prescriptions?|plans?|recommendations?|records?|programs?|scripts?|characteri[sz]ations?
      |dispositions?)
"""
# Verbs of producing that output.
_PRODUCED = r"""
    (?:wrote|written|chose|chosen|picked|assigned|gave|given|produced|approved|sent|made
      |resolved|closed|accepted|selected|entered|filed|drafted|labell?ed|scored|graded|coded
      |edited|corrected|signed[ ]off|decided)
"""
# Words for a model's output.
_OUTPUT_NOUNS = r"""
    (?:answers?|repl(?:y|ies)|responses?|outputs?|copy|text|descriptions?|summar(?:y|ies)
      |drafts?|emails?|messages?|it|they|results?|explanations?|rationales?|reports?|notes?
      |advice|suggestions?|recommendations?|feedback|its[ ]advice|its[ ]answers)
"""
_PROMPT = r"(?:system[ ])?(?:prompts?|instructions|prompting)"


def everyday_rules() -> tuple[Rule, ...]:
    return (*_behaviour(), *_prompting(), *_data(), *_cost(), *_undefined())


def _behaviour() -> tuple[Rule, ...]:
    return (
        _r(
            "style.sounds-wrong",
            "Output that doesn't sound like the team: 'doesn't sound like our agents', 'reads"
            " like a brochure'.",
            r"""
            \b(?P<h>
                # "doesn't sound anything like our customer center"
                (?:doesn't|does[ ]not|don't|do[ ]not|never|didn't)\s+(?:really\s+|quite\s+)?
                (?:sound|read|feel|talk|write|come[ ]across|reason|think|explain|answer|respond)s?
                \s+(?:anything\s+|at[ ]all\s+|much\s+|remotely\s+)?like\s+
                (?:us\b|our\b|we\b|an?\s+(?:real|actual|human)|the\s+way|a\s+human|a\s+person
                  |(?:an?|the)\s+(?:[\w-]+\s+)?"""
            + _PEOPLE
            + r""")
                # "answers should read like the instructor explaining it"
              | (?:sounds?|reads?|read|sound|talks?|talk)\s+like\s+(?:the|our|a|an)\s+
                (?:[\w-]+\s+)?"""
            + _PEOPLE
            + r"""
                # "right but not how he taught it"
              | not\s+how\s+(?:he|she|they|we|our\s+\w+|the\s+\w+)\s+(?:taught|teaches|teach
                  |explains?|explained|writes?|wrote|does|did|would|says?|said)
                # "reads like any retailer's site", "sounds like a textbook"
              | (?:sounds?|reads?|comes?[ ]across|feels?|looks?|talks?|answers?|responds?
                  |writes?|replies)\s+(?:\w+\s+)?like\s+
                (?:a|an|any|every|some|generic)\s+(?:[\w'-]+\s+){0,2}?
                (?:brochures?|textbooks?|robots?|press[ ]releases?|marketing|ads?|adverts?
                  |search[ ]engines?
                  |chatbots?|encyclopedias?|wikipedia|machines?|templates?|sites?|websites?
                  |retailers?|scripts?|manuals?|brochure[ ]copy|sales[ ]pitch(?:es)?|articles?
                  |web[ ]pages?|blog[ ]posts?|essays?|leaflets?|pamphlets?)\b
              | \bnot\s+(?:like|how)\s+(?:our|we|us)\b
                # "also sounds robotic", "comes across as cold"
              | (?:sounds?|reads?|feels?|comes[ ]across(?:[ ]as)?)\s+(?:\w+\s+)?
                (?:robotic|generic|bland|stiff|wooden|canned|corporate|salesy|cold|scripted
                  |off[- ]brand|like[ ]a[ ]bot)\b
            )
            """,
            1.2,
            scope="none",
        ),
        _r(
            "style.broken-language",
            "A language the model writes badly: 'replies in stiff, broken Swahili', 'awkward,"
            " machine-translated German'.",
            r"""
            # not the writer's own apology: "sorry for my bad English"
            (?<!my[ ])(?<!our[ ])\b(?P<h>
                (?:stiff|broken|awkward|unnatural|clumsy|stilted|wooden|robotic|machine-translated
                  |textbook|garbled|poor|bad|mediocre)
                (?:\s*,?\s*(?:and\s+)?(?:stiff|broken|awkward|unnatural|clumsy|stilted|wooden
                  |robotic|machine-translated|textbook|garbled|poor|bad))*
                \s+(?:"""
            + LANGUAGES
            + r""")
            )\b
            """,
            1.1,
            scope="none",
        ),
        _r(
            "style.bland-output",
            "Output that is generic, bland or robotic ('answers are generic', 'the copy stays"
            " bland').",
            r"""
            \b(?P<h>
                """
            + _OUTPUT_NOUNS
            + r"""\s+(?:\w+\s+)?
                (?:are|is|come[ ]out|comes[ ]out|read|reads|sound|sounds|stay|stays|feel|feels
                  |look|looks|remain|remains|end[ ]up|get)\s+
                (?:\w+\s+)?(?:bland|canned|robotic|stiff|wooden|soulless|flat
                  |cookie[- ]cutter|boilerplate|salesy|off[- ]brand|lifeless|samey)
              | (?:bland|canned|robotic|boilerplate|cookie[- ]cutter|stiff|wooden
                  |awkward|unnatural|clunky|stilted)\s+(?:[\w-]+\s+)?
                (?:phrasing|adjectives|answers|replies|copy|text|responses|output|advice|descriptions
                  |summaries|wording|phrasing|language)
            )\b
            """,
            1.1,
            scope="none",
        ),
        _r(
            "style.generic-output",
            "Output called generic: 'answers are generic', 'generic copy' (light: it may be"
            " missing knowledge as much as voice).",
            r"""
            \b(?P<h>
                """
            + _OUTPUT_NOUNS
            + r"""\s+(?:\w+\s+)?(?:are|is|come[ ]out|comes[ ]out|read|reads|sound|sounds|stay
                  |stays|feel|feels|look|looks|end[ ]up|get)\s+(?:\w+\s+)?(?:generic|vague)
              | generic\s+(?:['"][^'"]{1,40}['"]\s+|[\w-]+\s+)?
                (?:adjectives|answers|replies|copy|text|responses|output|advice|descriptions
                  |summaries|wording|phrasing|language)
            )\b
            """,
            0.6,
            scope="none",
        ),
        _r(
            "style.like-our-people",
            "Output that should match how the team's own people write or reason: 'the way an"
            " agronomist would', 'what our brokers write'.",
            r"""
            \b(?P<h>
                (?:the[ ]way|how|what|like|as)\s+
                (?:(?:our|an?|the|their|a[ ]good|a[ ]senior)\s+)?(?:[\w-]+\s+){0,2}?"""
            + _PEOPLE
            + r"""\s+(?:actually\s+|really\s+|normally\s+|usually\s+|typically\s+)?
                (?:would|do|does|did|write|writes|wrote|say|says|answer|answers|reason
                  |reasons|talk|talks|explain|explains|phrase|phrases|handle|handles|work|works
                  |think|thinks|approach|approaches|describe|describes|call|calls|speak|speaks
                  |respond|responds)
                # "behave more like the people in those sessions"
              | (?:behave|respond|act|sound|talk|answer|write|reply)s?\s+(?:more\s+|much\s+)?
                like\s+(?:the|our|real)\s+(?:[\w-]+\s+){0,2}?"""
            + _PEOPLE
            + r"""
                # "want the bot to talk like one of them"
              | (?:behave|respond|act|sound|talk|answer|write|reply|speak)s?\s+(?:more\s+|just\s+)?
                like\s+one\s+of\s+(?:them|us|our\s+own)
            )\b
            """,
            1.2,
            scope="none",
        ),
        _r(
            "style.like-our-own-work",
            "Output that should look like the team's own work: 'be short and look like our"
            " code', 'drafts should read like our own reports'.",
            r"""
            \b(?P<h>
                (?:(?:should|must|has[ ]to|have[ ]to|needs?[ ]to|to|and)\s+(?:look|read|sound|feel)
                  # "countermeasures written like our improvement reports"
                  | written|worded|drafted|phrased|formatted)
                \s+like\s+(?:our|the[ ]team's|the[ ]company's)\s+(?:own\s+)?(?:[\w-]+\s+)?
                (?:code|codebase|style|docs|documentation|copy|writing|reports?|notes|emails?
                  |replies|content|brand|letters|articles|posts)
            )\b
            """,
            1.2,
            neg_strength=1.0,
        ),
        _r(
            "style.in-character",
            "A character to talk like, or a particular phrasing to keep: 'talks exactly like one"
            " specific character', 'very particular phrasing' (style.brand-voice: 'in character').",
            r"""
            \b(?P<h>
                (?:talks?|talking|speaks?|speaking|sounds?|writes?|responds?|chats?|acts?)\s+
                (?:exactly\s+|just\s+|always\s+)?(?:like|as)\s+(?:a|an|one|the|this|that|our)\s+
                (?:specific\s+|particular\s+|real\s+|single\s+)?(?:[\w-]+\s+)?
                (?:character|persona|personality|mascot|figure|hero|villain)
                # "each bot actually talks like that person"
              | (?:talks?|talking|speaks?|speaking|sounds?|writes?|texts?|chats?)\s+
                (?:exactly\s+|just\s+|actually\s+)?like\s+(?:that|this|each|the[ ]real)\s+
                (?:person|friend|individual|member)
              | (?:very[ ])?(?:particular|specific|distinctive|peculiar|characteristic)[ ]
                (?:phrasing|wording|turns[ ]of[ ]phrase|way[ ]of[ ]speaking|speech[ ]patterns?
                  |diction|vocabulary)
            )\b
            """,
            1.2,
        ),
        _r(
            "style.length",
            "Answers of the wrong length: 'rambles', 'way too long', 'a page when agents want"
            " two lines' (light on its own).",
            r"""
            \b(?P<h>
                rambl\w* | waffl\w* | over-?explain\w*
              | way[ ]too[ ](?:long|wordy|verbose)"""
            + INPUT_TOO_LONG
            + r"""
              | (?:is|are|gives?|returns?|produces?|writes?)[ ](?:a[ ])?walls?[ ]of[ ]text
              | (?:too|overly)[ ](?:long|wordy|verbose|chatty|lengthy)"""
            + INPUT_TOO_LONG
            + r"""
              | a[ ](?:whole[ ])?page[ ](?:when|where|instead)
              | essays?[ ](?:when|where|instead)
            )\b
            """,
            0.8,
            scope="none",
        ),
        _r(
            "format.nothing-else",
            "Output that must be exactly one thing and nothing more: 'one correct call and"
            " nothing else, every time'.",
            r"""
            \b(?P<h>
                and[ ]nothing[ ]else | nothing[ ]but[ ](?:the|a|one|valid)
              | (?:exactly|only)[ ]one[ ](?:[\w-]+[ ])?(?:call|line|label|code|word|sentence
                  |json|object|answer|category|query)
            )\b
            """,
            1.1,
            scope="none",
        ),
        _r(
            "behaviour_gap.misses-expected",
            "Output that leaves out what the team's people expect: 'misses the headings our"
            " auditors expect', 'drops the link to the doc it used'.",
            r"""
            \b(?P<h>
                (?:miss(?:es|ing)?|leaves?[ ]out|leaving[ ]out|drops?|dropping|skips?|forgets?
                  |omits?|mangles?|gets?[ ]wrong|ignores?|botch(?:es)?)\s+
                (?:\w+\s+){0,5}?(?:(?:our|the|their|its|they|we|it)\s+)?(?:[\w-]+\s+){0,2}?
                (?:expects?|needs?|wants?|requires?|care[ ]about|cares[ ]about|look[ ]for
                  |looks[ ]for|asks?[ ]for|use|used|uses|rely[ ]on|relies[ ]on)
            )\b
            """,
            1.1,
            scope="none",
        ),
        _r(
            "behaviour_gap.people-redo",
            "Output the team's people still redo by hand: 'staff still rewrite them', 'editors"
            " end up redoing every draft', 'so they stop rewriting'.",
            r"""
            \b(?P<h>
                (?:staff|agents?|people|editors?|reviewers?|users?|doctors?|clinicians?|nurses?
                  |lawyers?|writers?|analysts?|engineers?|they|we|our[ ][\w-]+)\s+
                (?:still|always|often|usually|mostly|end[ ]up|ended[ ]up)\s+
                (?:have[ ]to\s+|had[ ]to\s+|need[ ]to\s+)?(?:heavily\s+|manually\s+)?
                (?:rewrit\w*|re-writ\w*|edit\w*|redo\w*|rework\w*|fix\w*|correct\w*)\s+
                (?:them|it|most|every|each|half|all|the[ ](?:[\w-]+[ ])?"""
            + _OUTPUT_NOUNS
            + r""")
              | (?:they|staff|agents|people|editors|we)\s+stop\s+(?:rewriting|editing|redoing
                  |fixing|correcting)
            )\b
            """,
            1.1,
            scope="none",
        ),
        _r(
            "behaviour_gap.doesnt-compile",
            "Generated code or config that fails its own checker: 'writes something that looks"
            " like Visual Basic and fails to compile', 'the queries don't parse'.",
            r"""
            \b(?P<h>
                (?:fails?|failing|doesn't|does[ ]not|don't|do[ ]not|won't|wouldn't|never|rarely)
                \s+(?:to\s+|even\s+)?(?:compile|parse|build|run|validate|pass[ ]the[ ]linter)
              | compil(?:e|er|ation)[ ]errors? | syntax[ ]errors? | (?:won't|doesn't)[ ]compile
            )\b
            """,
            1.1,
            scope="none",
        ),
        _r(
            "behaviour_gap.garbage-output",
            "Output that is unusable, said bluntly: 'the MT models basically produce garbage for"
            " it', 'its Quechua is word salad'.",
            r"""
            \b(?P<h>
                (?:produces?|produced|outputs?|gives?|gave|generates?|writes?|returns?
                  |spits?[ ]out|is|are|was|were|comes?[ ]out[ ]as)
                \s+(?:basically\s+|just\s+|pure\s+|mostly\s+|total\s+|complete\s+|utter\s+)?
                (?:garbage|gibberish|word[ ]salad|nonsense|junk|rubbish)
              | word[ ]salad
            )\b
            # not the saying: "garbage in, garbage out"
            (?!\s+(?:in|out)\b)
            """,
            1.1,
            scope="none",
        ),
        _r(
            "behaviour_gap.ignores-conventions",
            "Output that ignores the team's conventions: 'doesn't follow our naming conventions',"
            " 'reaches for std:: where we use our own types'.",
            r"""
            \b(?P<h>
                (?:doesn't|don't|does[ ]not|do[ ]not|never|won't|ignores?|ignoring|breaks?)\s+
                (?:follow|match|respect|stick[ ]to|keep[ ]to|use|apply)\s+(?:our|the[ ]team's
                  |the[ ]company's|the[ ]house|our[ ]own)\s+(?:\S+\s+){0,2}?(?:conventions|coding
                  [ ]standards|style[ ]rules|idioms|patterns|naming)
              | (?:ignores?|ignoring|ignored|breaks?|breaking|violates?)\s+(?:our|the[ ]team's
                  |the[ ]company's)\s+(?:\S+\s+){0,2}?(?:conventions|coding[ ]standards
                  |style[ ]rules|idioms)
              | where[ ]we[ ]use[ ]our[ ]own
            )\b
            """,
            1.0,
            scope="none",
        ),
        _r(
            "behaviour_gap.error-rate",
            "A residual error rate: 'still misses one case in five', 'drops a field one time in"
            " ten'.",
            r"""
            \b(?P<h>
                (?:miss(?:es)?|drops?|gets?[ ]wrong|fails?(?:[ ]on)?|breaks?|botch(?:es)?
                  |mangles?|wrong)\s+(?:about\s+|roughly\s+)?(?:\w+\s+){0,2}?
                (?:one|1|two|2|three|3)\s+(?:\w+\s+)?(?:in|out[ ]of)\s+(?:every\s+)?
                (?:three|four|five|ten|twenty|\d+)
              | \d+\s+(?:in|out[ ]of)\s+\d+\s+(?:\w+\s+){0,2}?(?:get|are|come[ ]out|is)\s+
                (?:misread|wrong|misclassified|missed|mislabell?ed|misrouted|garbled)
              | fails?\s+(?:mostly\s+)?on\s+(?:the\s+)?(?:language|dialect|slang|code[- ]?mix\w*
                  |jargon|wording|accents?)
                # "commercial LLMs are weak on clinical tasks": a skill the models lack
              | (?:models?|llms?|gpt\S*|they|it)\s+(?:are|is)\s+(?:still\s+|really\s+|quite\s+)?
                (?:weak|poor|bad|mediocre)\s+(?:on|at|in)\s+(?:[\w-]+\s+){0,2}?
                (?:tasks|benchmarks|exams?)
            )\b
            """,
            1.0,
            scope="none",
        ),
        _r(
            "behaviour_gap.judgement",
            "A judgement the model doesn't make the way people do: 'never knows when to hand"
            " off', 'picks the wrong subheading'.",
            r"""
            \b(?P<h>
                (?:never|doesn't|does[ ]not|can't|cannot|don't|won't)\s+(?:\w+\s+)?
                (?:know|knows|tell|judge|decide|sense|realise|realize|recogni[sz]e)s?\s+when\s+to
              | (?:picks?|picking|chooses?|lands?[ ]on|gets?)\s+the\s+wrong\s+
                (?:[\w-]+\s+)?(?:code|category|subheading|heading|class|label|intent|tool|api
                  |function|department|queue|answer[ ]type)s?
              | (?:ignores?|ignoring|gets?[ ]misled[ ]by|is[ ]misled[ ]by|doesn't[ ]use|does[ ]not
                  [ ]use|misuses?)\s+(?:the\s+)?(?:retrieved\s+)?(?:passages|context|documents
                  |docs|snippets|chunks|search[ ]results)
                # the knowledge is there and the answer is still wrong
              | even[ ](?:when|with|if|though)\s+(?:\w+\s+){0,5}?(?:in[ ]there|in[ ]the[ ](?:prompt
                  |context)|retrieved|provided|pasted|given|included|in[ ]front[ ]of[ ]it)
                # answers from the wrong retrieved piece
              | (?:latch(?:es)?[ ]onto|answers?[ ]from|gets?[ ]distracted[ ]by
                  |is[ ]thrown[ ]off[ ]by|blends?[ ]in|mix(?:es)?[ ]in|uses?|picks?[ ]up)\s+
                (?:some\s+|the\s+|an?\s+)?(?:irrelevant|wrong|unrelated|other|general|its[ ]own
                  |outside
                  |outdated|bits)
                # wanders from what it was given
              | (?:drifts?|strays?|wanders?|departs?)\s+(?:away\s+)?from\s+the\s+
                (?:passages|documents|docs|context|sources|retrieved|source|excerpts)
              | gets?[ ]thrown[ ]off
              | (?:gets?\s+)?(?:sloppy|confused|lost)\s+(?:on|with|in|by)\s+(?:the\s+)?
                (?:follow-?ups?|follow-up[ ]questions|multi-turn|longer|long)
                # answers from what it remembers instead of what it was given
              | (?:answers?|answering|replies|responds?)\s+from\s+(?:stale\s+|its\s+own\s+
                  |their\s+own\s+|its\s+)?memory
              | ignores?\s+(?:them|it|those|these)\s+and\s+answers?
                # hands off at the wrong time
              | (?:never|doesn't|does[ ]not|rarely|won't)\s+(?:hands?[ ]off|escalates?|transfers?
                  |passes?[ ](?:it[ ])?on)\s+(?:\w+\s+){0,4}?(?:at[ ]the[ ]right|when[ ]it[ ]should
                  |on[ ]time|the[ ]way)
                # never asks what a person would ask
              | (?:never|doesn't|does[ ]not|rarely|won't|don't)\s+asks?\s+(?:for\s+)?
                (?:the\s+|any\s+)?(?:\w+\s+)?(?:follow-?up|clarifying|questions|facts|details
                  |information|context)
              | in[ ]the[ ]wrong[ ]order
              | ignores?[ ]the[ ](?:answer[ ])?(?:options|choices)
                # a capability it lacks
              | (?:can't|cannot|can[ ]not|doesn't|does[ ]not|struggles[ ]to|fails[ ]to|is[ ]bad[ ]at
                  |mostly[ ]can't)\s+(?:\w+\s+)?(?:do|handle|manage|follow)?\s*(?:[\w-]+\s+){0,2}?
                (?:tool[ ]use|tool[ ]calls|function[ ]calling|multi-step|arithmetic|math|planning)
                # a judgement it should make itself
              | (?:the[ ]model|it|the[ ]bot|the[ ]assistant|the[ ]llm|the[ ]agent)\s+(?:itself\s+)?
                (?:should|must|needs?[ ]to|has[ ]to|have[ ]to)\s+(?:itself\s+)?
                (?:judge|decide|tell|know|figure[ ]out)\s+(?:for\s+itself\s+)?(?:whether|when|if)
              | (?:misses|lacks|missing)\s+(?:the\s+|all\s+)?nuance | superficial
              | (?:miss(?:es)?|gets?[ ]wrong)\s+a\s+lot
                # never admits what it doesn't know
              | (?:never|doesn't|does[ ]not|won't|rarely)\s+(?:say|says|admit|admits|tell|tells)
                \s+(?:\w+\s+){0,2}?(?:isn't|is[ ]not|doesn't[ ]know|don't[ ]know|not[ ]sure|unsure)
            )\b
            """,
            1.1,
            scope="none",
        ),
        _r(
            "jargon.mangled-wording",
            "Domain wording the model gets wrong: 'fumbles the legal wording', 'mangles our"
            " terminology'.",
            r"""
            \b(?P<h>
                (?:fumbles?|mangles?|botch(?:es)?|gets?[ ]wrong|misuses?|garbles?|trips[ ]over
                  |misreads?)
                \s+(?:the\s+|our\s+)?(?:\S+\s+){0,2}?
                (?:wording|terminology|terms|jargon|vocabulary|abbreviations|acronyms|lingo)
              | (?:uses?|using|with)\s+(?:a\s+)?(?:different|the[ ]wrong|other)\s+notation
              | anglicisms
            )\b
            """,
            1.1,
            scope="none",
        ),
        _r(
            "jargon.domain-concepts",
            "The model doesn't know the field's words or concepts: 'they don't know the"
            " procedures or the vocab', 'base models misunderstand power-system concepts',"
            " 'doesn't speak railway-engineering Chinese well'.",
            r"""
            \b(?P<h>
                # "they don't know the procedures or the vocab" (the model, not the team)
                (?:it|they|models?|llms?|gpt\S*|chatgpt|the[ ]bot|the[ ]assistant)\s+
                (?:(?:basically|really|just|simply|still|often|mostly)\s+)?
                (?:don't|doesn't|do[ ]not|does[ ]not|can't|cannot|never)\s+(?:really\s+)?
                (?:know|understand|get|grasp|speak|handle)\s+(?:\S+\s+){0,5}?
                (?:our|the|its|their)?\s*(?:\S+\s+)?(?:vocab|vocabulary|terminology|jargon
                  |lingo|acronyms|domain[ ]language|technical[ ]language|concepts)
                # "misunderstand power-system concepts", "fumble basic things like N-1"
              | (?:misunderstands?|misunderstood|confuses?|fumbles?|mixes[ ]up)\s+(?:\S+\s+){0,3}?
                (?:concepts|basics|basic[ ]things|fundamentals|terminology)
                # "doesn't speak railway-engineering Chinese well"
              | (?:it|they|models?|llms?|gpt\S*|chatgpt)\s+(?:doesn't|don't|does[ ]not|do[ ]not
                  |can't)\s+speak\s+(?:\S+\s+){1,3}?well
            )\b
            """,
            1.1,
            scope="none",
        ),
        _r(
            "format.output-is-a",
            "Output of a named shape: 'output must be a redline table', 'it has to come back as"
            " a CSV'.",
            r"""
            \b(?P<h>
                (?:output|outputs|the[ ]result|results|answers?|responses?|replies|it|each[ ]one)
                \s+(?:must|should|has[ ]to|needs[ ]to|have[ ]to|is[ ]to)\s+
                (?:be|come[ ]back[ ]as|look[ ]like|be[ ]returned[ ]as)\s+(?:a|an|in|one)\s+
                (?:\S+\s+){0,2}?
                (?:table|list|json|csv|memo|letter|form|report|spreadsheet|diff|redline|bullets?
                  |checklist|template|outline)s?
            )\b
            """,
            1.2,
            scope="none",
        ),
        _r(
            "format.shape-drift",
            "Output whose shape changes and breaks what reads it: 'hands these back in a slightly"
            " different shape every time, which breaks our downstream code'.",
            r"""
            \b(?P<h>
                (?:slightly[ ]|a[ ]|subtly[ ])?different[ ](?:shape|format|structure|layout|order
                  |style|tone|length)
                [ ](?:every|each)[ ]time
              | breaks?[ ](?:our[ ]|the[ ])?(?:downstream|parser|parsing|pipeline|integration|etl)
            )\b
            """,
            1.2,
            scope="none",
        ),
        _r(
            "skill.assign-code",
            "Picking one code, category or label for each input: 'propose the tariff code',"
            " 'score each call on 60 indicators'.",
            r"""
            \b(?P<h>
                (?:pick|choose|assign|predict|propose|suggest|map|select)\w*\s+
                (?:the\s+|a\s+|an\s+|one\s+of\s+(?:the\s+)?)?(?:[\w-]+\s+){0,3}?
                (?:codes?|categor(?:y|ies)|labels?|class(?:es)?|intents?|queues?|subheadings?)
              | (?:multi-step[ ])?(?:tool[ ]use|tool[ ]calling|function[ ]calling|api[ ]calling)
                # "flag whether a posting is genuinely entry-level"
              | (?:flag|decide|detect|check|tell|judge|determine)\w*[ ](?:whether|if)[ ]
                (?:a|an|the|each|every|this)[ ]\w+[ ](?:is|are|was|contains?|mentions?)
                # "working out what the user wants"
              | (?:work\w*[ ]out|figur\w*[ ]out|detect\w*|tell\w*)[ ]what[ ]the[ ]
                (?:user|customer|caller|shopper|person)[ ](?:wants|means|is[ ]asking)
                # "first works out what kind of question it is"
              | (?:work\w*[ ]out|figur\w*[ ]out|detect\w*|tell\w*|decid\w*|recogni[sz]\w*)[ ]
                (?:what|which)[ ](?:kind|type|sort|category)[ ]of[ ]
                (?:question|request|message|ticket|query|complaint|call|email|case)s?[ ]
                (?:it|this|that|they|each[ ]one)[ ](?:is|are)
              | intent[ ](?:accuracy|detection|recognition)
              | pull\w*[ ]out[ ]the[ ](?:bits|fields|details|values|entities|names)
                # "pulling ~20 fields out of electricity bills"
              | (?:pull|grab|read|captur|lift|get)\w*\s+(?:~?\d+\s+)?(?:\w+\s+)?
                (?:fields|values|data[ ]points|attributes|line[ ]items|entities)\s+(?:out[ ]of|from)
              | (?:score|grade|rate|check)s?\s+(?:each\s+|every\s+|the\s+|our\s+)?
                (?:[\w/-]+\s+){0,3}?
                (?:calls?|essays?|answers?|tickets?|conversations?|transcripts?|claims?
                  |submissions?)
                \s+(?:on|against|for)\b
              | yes/no[ ](?:indicators|questions|checks|criteria|flags)
              | (?:writes?|generat\w*|produc\w*|output\w*|emit\w*)\s+(?:the\s+|one\s+|a\s+)?
                (?:exact\s+|correct\s+|valid\s+|right\s+)?(?:api|function|tool)[ ]calls?
            )\b
            """,
            1.0,
            scope="none",
        ),
    )


def _prompting() -> tuple[Rule, ...]:
    return (
        _r(
            "prompting.iterated",
            "Prompting already worked on, said implicitly: 'we iterated on the instructions for"
            " a month', 'every prompt tweak breaks another field', 'no matter how we phrase it'.",
            r"""
            \b(?P<h>
                # "rewrote the system prompt a dozen times", "iterated on the instructions"
                (?:iterated|iterating|rewr(?:ote|itten|iting)|reword(?:ed|ing)|refin(?:ed|ing)
                  |tweak(?:ed|ing)|tun(?:ed|ing)|massag(?:ed|ing)|fiddl(?:ed|ing)|polish(?:ed|ing)
                  |revis(?:ed|ing)|chang(?:ed|ing)|adjust(?:ed|ing)|engineer(?:ed|ing)
                  |been[ ]working[ ]on|worked[ ]on|spent\s+(?:\w+\s+){1,3}?(?:on|with))\s+
                (?:on\s+|with\s+)?(?:the\s+|our\s+|a\s+|my\s+|its\s+)?(?:\w+\s+){0,2}?"""
            + _PROMPT
            + r"""
                # "every prompt tweak", "prompt iterations"
              | (?:prompt|instruction)s?[ ](?:tweaks?|iterations?|changes?|fixes|versions
                  |rewrites?|hacks?)
                # "no matter how we phrase it"
              | no[ ]matter[ ]how[ ](?:we|i|you)[ ](?:phrase|word|prompt|ask|instruct|write)\w*
                # few-shot examples in the prompt, tried
              | (?:examples?|samples?)[ -]in[ -](?:the[ -])?prompt
              | (?:pasted|put|added|stuffed|included|gave\s+it|showed\s+it)\s+(?:in\s+)?
                (?:\w+\s+){0,5}?(?:as\s+)?(?:few[- ]shot\s+)?examples
              | few[- ]shot(?:[ ]examples|[ ]prompting)?\s+(?:got|gets|gave|helped|improved
                  |brought|took|only)
              | a[ ](?:good|long|detailed|careful|big|elaborate|well-written)[ ]prompt[ ]with
                # "zero-shot gpt-4 is ok-ish"
              | (?<!plain[ ])(?<!basic[ ])(?<!simple[ ])(?<!prompted[ ])(?<!only[ ])(?<!just[ ])
                zero[- ]shot\s+(?!only\b|so[ ]far\b)\S+
                # "tried asking the llm itself to judge each turn"
              | (?:tried|tested|trying)[ ](?:just[ ]|simply[ ])?asking[ ](?:the[ ]|an?[ ]|our[ ])?
                (?:[\w-]+[ ])?(?:llm|model|gpt\S*|chatgpt|claude|gemini|ai)(?:[ ]itself)?[ ]to\b
            )
            """,
            1.0,
            scope="before",
            neg_strength=1.5,
        ),
        _r(
            "prompting.untried-technique",
            "A prompting technique not tried yet: 'we haven't tried breaking the task into steps"
            " yet', 'no prompts tried against the hosted models'.",
            r"""
            \b(?P<h>
                (?:haven't|have[ ]not|hasn't|has[ ]not|didn't|did[ ]not|not[ ]yet|never)
                \s+(?:\w+\s+)?(?:tried|tested|experimented[ ]with|explored)\s+(?:\S+\s+){0,10}?
                (?:yet|few[- ]shot|examples|instructions|chain[- ]of[- ]thought|breaking|steps?
                  |decompos\w*|self[- ]check\w*|check\s+its\s+own|asking|prompting|prompts?
                  |gpt\S*|chatgpt|claude|gemini|llama\S*|llms?|the[ ]api|hosted[ ]models?)
              | no\s+(?:prompts?|prompting|prompt[ ]engineering)\s+(?:\w+\s+)?(?:tried|tested
                  |yet|done|work)
              | no\s+(?:few[- ]shot(?:[ ]examples)?|explicit[ ]instructions|system[ ]prompt
                  |prompt[ ]work)
                # "haven't touched the instructions, examples or asking it to reason first"
              | (?:haven't|have[ ]not|hasn't|didn't|did[ ]not|not[ ]yet)\s+(?:\w+\s+)?
                (?:touched|changed|tuned|tweaked|edited|worked[ ]on|optimi[sz]ed|improved)\s+
                (?:the\s+|our\s+|any\s+|its\s+)?(?:instructions|prompts?|examples|system[ ]prompt)
                # "can we just hack it with the api"
                # (not "when we just ask GPT": what they did)
              | (?<!when[ ]we[ ])(?<!when[ ]i[ ])(?<!when[ ]you[ ])
                (?:just|simply)\s+(?:hack\s+it|do\s+it|use|call|prompt|ask)\s+(?:\w+\s+){0,2}?
                (?:with\s+)?(?:the\s+)?(?:api|gpt\S*|chatgpt|claude|gemini|llm)
            )
            """,
            1.2,
            polarity=-1,
            scope="none",
        ),
        _r(
            "prompting.basic-prompt",
            "Only a basic prompt so far: 'a basic GPT-4 prompt (just task + output format)'.",
            r"""
            \b(?P<h>
                (?:a|our|the|one|my)[ ](?:very[ ])?(?:basic|simple|naive|plain|bare|bare-bones
                  |one-line|quick|first|default)[ ](?:gpt\S*[ ]|chatgpt[ ]|claude[ ]|llm[ ])?
                (?:system[ ])?prompt
              | (?:basic|simple|naive|plain|bare)[ ](?:zero|one)[- ]shot
                # only zero-shot so far: few-shot examples are still untried
              | (?:only|just)[ ](?:\w+[ ]){0,2}?zero[- ]shot | zero[- ]shot[ ](?:only|so[ ]far)
                # ("so" may be cut off as the clause's first word)
              | (?:so[ ]|^)far[ ](?:\S+[ ]){0,3}?zero[- ]shot
                # "the prompt just says 'you are a teacher, score this essay'"
              | (?:prompt|instructions?)[ ](?:just|only|simply)[ ](?:says|reads|asks|tells)
                # "tried gpt-4 with 'check this text for problems'": a one-line instruction
              | (?:tried|prompted|asked)[ ](?:[\w.-]+[ ]){0,2}?with[ ]['"‘“]
                [^'"’”]{2,60}\w(?=['"’”])
                # "one legacy bloom's-style prompt"
              | (?:one|a|a[ ]single)[ ](?:legacy|old|generic|stock)[ ](?:[\w'-]+[ ]){0,3}?prompt
              | prompts?[ ](?:are|is)[ ](?:\w+[ ])?(?:one-liners?|one[ ]line|basic|bare|minimal
                  |bare-bones)
                # "our baseline prompt was honestly a first draft with no examples in it"
              | prompts?[ ](?:was|is|were|are)[ ](?:\w+[ ])?(?:a[ ]|just[ ]a[ ])?
                (?:first|rough|quick)[ ]drafts?
            )\b
            """,
            1.0,
            polarity=-1,
            scope="none",
        ),
        _r(
            "base_ok.pleasant-surprise",
            "A general model already doing well: 'liked the result more than she expected',"
            " 'strongest out of the box'.",
            r"""
            \b(?P<h>
                liked[ ]the[ ](?:result|output|answers?|draft)s?
              | (?:better|more)[ ]than[ ](?:\w+[ ])?expected | surprisingly[ ](?:good|well|decent)
              | (?:strongest|best|good|decent|fine|solid)[ ]out[ ]of[ ]the[ ]box
                # "a reviewer said many drafts were as good as the attendings'"
              | (?:drafts?|outputs?|answers?|summaries|results?|responses?|translations?|labels
                  |hints|replies)[ ](?:were|are|was|is)[ ]
                (?:often[ ]|mostly[ ]|already[ ]|roughly[ ]|about[ ])?
                (?:as[ ]good[ ]as|on[ ]par[ ]with|comparable[ ]to|indistinguishable[ ]from)[ ]
                (?:the[ ]|our[ ]|those[ ]of[ ](?:the[ ]|our[ ])?)?(?:[\w-]+[ ])?
                (?:attendings|experts?|humans?|staff|agents|analysts|doctors|physicians|clinicians
                  |lawyers|translators|writers|editors|annotators|radiologists|specialists|tutors)
            )\b
            """,
            1.0,
            scope="none",
        ),
        _r(
            "stage.nothing-yet",
            "Nothing built or measured yet: 'nothing exists yet', 'no success criteria, no eval"
            " set'.",
            r"""
            \b(?P<h>
                nothing\s+(?:exists|is[ ]built|has[ ]been[ ]built|built|is[ ]live|running)
                \s+yet
              | no\s+(?:success[ ]criteria|baseline|eval(?:uation)?[ ](?:set|data|suite)
                  |usage[ ]data|prototype)\b(?:\s+yet)?
            )
            """,
            1.0,
            scope="none",
        ),
        _r(
            "stage.worth-testing",
            "Testing whether the idea is worth it at all: 'quickest way to test?', 'before we"
            " spend real money on it'.",
            r"""
            \b(?P<h>
                (?:is[ ]it|if[ ]it'?s|if[ ]its|whether[ ]it'?s)[ ]worth[ ](?:building|doing|it
                  |pursuing)
              | before[ ]we[ ](?:spend|invest|commit|sink)
              | (?:quickest|fastest|cheapest|quick|fast|cheap)[ ](?:way|path)[ ]to[ ](?:test|try
                  |validate|check|prove)
            )\b
            """,
            1.0,
            scope="none",
        ),
        _r(
            "prompting.partly-works",
            "A prompt in place that only partly works: 'prompting for brevity only half works',"
            " 'the prompt got the tone half right', 'a long system prompt and it still drifts'.",
            r"""
            \b(?P<h>
                (?:prompt\w*|instructions?|few[- ]shot\w*)\s+(?:\S+\s+){0,8}?
                (?:(?:only|just)\s+)?(?:half|partly|partially|sort[ ]of|kind[ ]of|somewhat)[ ]
                (?:works?|worked|working|right|there|helps?|helped|fixe[sd])
              | (?:prompt\w*|instructions?|few[- ]shot\w*)\s+(?:\S+\s+){0,6}?
                (?:gets?|got|brings?|brought|takes?|took)\s+(?:us\s+|it\s+)?
                (?:most|part|half)(?:way|[ ]of[ ]the[ ]way)
                # "a long system prompt at it and it still drifts out of character"
              | (?:prompt|instructions)\b(?:\s+\S+){0,8}?\s+(?:it|the[ ]model|the[ ]bot|the[ ]llm)
                \s+still\s+(?:drifts?|misses|breaks|ignores|forgets|fails|rambles|hallucinates
                  |invents|slips|gets[ ]\w+[ ]wrong)
            )
            """,
            1.0,
            scope="none",
        ),
        _r(
            "prompting.not-really-tried",
            "Prompting not really tried, said implicitly: 'our prompts are just the old task"
            " descriptions pasted in', 'we only have one generic instruction so far'.",
            r"""
            \b(?P<h>
                (?:prompts?|instructions?)\s+(?:are|is|was|were)\s+(?:just|only|basically
                  |literally|still)\s+(?:the\s+|a\s+|our\s+)?(?:old\s+|original\s+|raw\s+
                  |generic\s+|plain\s+)?(?:task|job|one-line|copy|copies|pasted|descriptions?)
              | (?:only|just)\s+(?:have\s+|had\s+|use[sd]?\s+|tried\s+)?(?:one|a|a[ ]single)
                \s+(?:generic|general|short|vague|one-line|plain|single)\s+(?:instruction|prompt)s?
              | (?:just|only)\s+pasted\s+(?:in\s+)?(?:the\s+|our\s+)?(?:\w+\s+){0,2}?
                (?:task|job|ticket)[ ]descriptions?
            )\b
            """,
            1.2,
            polarity=-1,
            scope="none",
        ),
        _r(
            "prompting.nobody-tried",
            "Nobody has tried prompting yet: 'nobody tried chatgpt with a good prompt yet'.",
            r"""
            \b(?P<h>
                (?:nobody|no[ ]one|none[ ]of[ ]us)(?:'s|\s+has|\s+have|\s+had)?\s+
                (?:\S+\s+){0,4}?
                (?:tried|tested|used|played[ ]with|experimented[ ]with|looked[ ]at|touched
                  |changed|tuned|improved|revisited
                  |(?:written|wrote)\s+(?:\S+\s+){0,3}?"""
            + _PROMPT
            + r""")
            )\b
            """,
            1.2,
            polarity=-1,
            scope="none",
        ),
    )


def _data() -> tuple[Rule, ...]:
    return (
        _r(
            "private.retrieval-in-place",
            "A system that already retrieves from a corpus: 'retrieved passages', 'vector search,"
            " top-5 chunks', 'our passage index' — the knowledge side stays.",
            r"""
            \b(?P<h>
                retrieved[ ](?:passages|articles|chunks|docs|documents|context|snippets|pages)
              | (?:passage|search|vector|document)[ ]index(?:es)?
              | the[ ]retriever | top[- ]?\d+[ ](?:chunks|passages|results|documents|docs)
              | (?:chat|llm|model|gpt\S*|llama)[ ]\+[ ]retrieval
              | retrieval[ ](?:setup|pipeline|step|layer|results)
              | (?:plugging|plug|adding|added|stuff\w*)\s+(?:\w+\s+){0,2}?(?:retrieval|retrieved)
            )\b
            """,
            1.0,
            scope="none",
        ),
        _r(
            "examples.paired-history",
            "A history of inputs paired with what people produced from them — training data"
            " for a behaviour, not a knowledge base: 'tickets with the replies that closed"
            " them', 'descriptions our copywriters wrote'.",
            r"""
            \b(?P<h>
                # "each paired with the code customs assigned"
                (?:paired|matched|linked|joined)\s+(?:up\s+)?with\b
                # "with the replies that resolved them", "plus the accident type they assigned"
              | (?:with|plus|and|along[ ]with|[\w-]+\s*\+)\s+(?:the|their|its)\s+
                (?:[\w-]+\s+){0,2}?"""
            + _OUTPUTS
            + r"""\s+(?:that\s+|which\s+)?(?:our\s+|the\s+|their\s+|they\s+|we\s+|people\s+)?
                (?:[\w-]+\s+){0,2}?"""
            + _PRODUCED
            + r"""
                # "already scored by our QA analysts", "hand-labelled by our reviewers"
              | (?:already|previously|manually|hand[- ]?|human[- ])\s*
                (?:"""
            + LABELLED
            + r"""|reviewed|corrected|approved|edited|written|translated|resolved)
                (?:\s+by\s+(?:our|the|their|human|expert|\w+)|\s+(?:with|into)\b)
                # "librarians already assigned one of 5 field labels to each"
              | (?:already|previously|manually|by[ ]hand)\s+
                (?:assigned|gave|chose|picked|applied|attached|wrote)\s+(?:[\w-]+\s+){0,5}?"""
            + _OUTPUTS
            + r"""\b
                # "descriptions our copywriters already wrote"
              | """
            + _OUTPUTS
            + r"""\s+(?:that\s+)?(?:our|the|their)\s+(?:[\w-]+\s+){0,2}?"""
            + _PEOPLE
            + r"""\s+(?:already\s+|have\s+|had\s+|actually\s+)?"""
            + _PRODUCED
            + r"""
                # "verified programs from our CAM people"
              | (?:verified|approved|reviewed|validated|signed-off|accepted|hand-written
                  |expert-written)\s+(?:[\w-]+\s+)?"""
            + _OUTPUTS
            + r"""\s+(?:from|by)\s+(?:our|the|their)\s+(?:[\w-]+\s+){0,2}?"""
            + _PEOPLE
            + r"""\b
                # "description -> code they chose"
              | [\w-]+\s*(?:->|→|=>)\s*(?:the\s+)?(?:[\w-]+\s+)?"""
            + _OUTPUTS
            + r"""
                # "a curated set of Q&As written by lawyers"
              | (?:q&as?|q[ ]?&[ ]?as?|answers|replies|examples|pairs|responses|summaries|notes
                  |reports|translations|descriptions|dialogues|conversations)\s+
                (?:written|drafted|produced|curated|labell?ed|annotated|reviewed|approved|graded
                  |corrected)\s+by\s+(?:our\s+|the\s+|their\s+|human\s+|expert\s+)?
                (?:[\w-]+\s+)?"""
            + _PEOPLE
            + r"""
                # "past reviews and their summaries"
              | (?:and|with)\s+(?:their|its)\s+(?:corresponding\s+|matching\s+|final\s+
                |official\s+|approved\s+|actual\s+)?"""
            + _OUTPUTS
            + r"""\b(?=\s*(?:$|[(),.;:]|(?:and|with|from|that|which|for)\b))
                # "years of agronomist chat transcripts", "our coaches' chat logs"
              | """
            + _PEOPLE
            + r"""(?:'s|')?\s+(?:chat\s+|call\s+|session\s+|support\s+)?
                (?:transcripts|logs|conversations|chats|dialogues)\b
                # "each with the project that was actually built from it"
              | each\s+(?:one\s+)?with\s+the\s+(?:[\w-]+\s+){1,3}?(?:that|which)\s+
                (?:was|were|got|had\s+been)\s+(?:actually\s+|eventually\s+|finally\s+)?
                (?:built|written|made|produced|chosen|created|derived|shipped|assigned|approved)
                # "the survey-computed nutrient values for every recall"
              | (?:computed|measured|true|actual|reference|correct|verified|known|gold|expert)
                \s+(?:[\w-]+\s+)?(?:values?|labels?|scores?|codes?|answers?|outcomes?)
                \s+for\s+(?:every|each|all)\b
                # "260 recorded sessions between clients and licensed psychologists"
              | (?:sessions|conversations|chats|calls|dialogues|transcripts|interviews
                  |consultations)
                \s+(?:between|with)\s+(?:[\w-]+\s+){0,3}?(?:and\s+)?(?:our\s+|the\s+|licensed\s+
                  |real\s+|human\s+|experienced\s+)?(?:[\w-]+\s+)?"""
            + _PEOPLE
            + r"""\b
                # people who can write the examples
              | (?:who|that)\s+can\s+(?:\w+\s+){0,2}?(?:write|demonstrate|label|annotate|grade)
                \s+(?:\w+\s+){0,4}?(?:examples?|answers|responses|demonstrations|labels|how)
              | offered\s+to\s+(?:write|label|rate|annotate|grade)(?:\s+and\s+\w+)?
                \s+(?:\w+\s+){0,4}?(?:examples?|answers|responses|demonstrations|labels|how)
                # "chats where agents tagged the intent"
              | (?:chats|tickets|conversations|emails|calls|cases|records)\s+where\s+
                (?:our\s+|the\s+)?"""
            + _PEOPLE
            + r"""\s+(?:"""
            + LABELLED
            + r"""| marked | noted | recorded)
                # "the label a human gave it"
              | (?:the|a)\s+"""
            + _OUTPUTS
            + r"""\s+(?:a|the|our|each)\s+"""
            + _PEOPLE
            + r"""\s+"""
            + _PRODUCED
            + r"""
                # "20k conversations from our top-csat agents"
              | (?:conversations|replies|tickets|chats|emails|transcripts|answers|responses|calls)
                \s+(?:from|by|of|with)\s+our\s+(?:best|top|senior|top-rated|most[ ]experienced
                  |top-csat|highest-rated|[\w-]+-csat)\s+"""
            + _PEOPLE
            + r"""
                # "patient message, then the doctor's reply"
              | then\s+the\s+(?:\w+'s\s+)?(?:repl(?:y|ies)|responses?|answers?|decisions?|codes?)
                # "the copy users accepted or edited"
              | (?:users|customers|people|reviewers|editors)\s+(?:have\s+)?(?:accepted|edited
                  |approved|corrected|rejected|rewrote)
            )
            """,
            1.0,
            scope="none",
        ),
        _r(
            "private.answers-are-in",
            "Where the answers are written: 'the answers are on the product labels', 'the"
            " information is in our inspection reports' (not the prompt or the user's input).",
            r"""
            \b(?P<h>
                (?:the\s+|all\s+the\s+|most\s+)?(?:(?:real|actual|right|correct)\s+)?
                (?:answers?|information|info|facts|details)
                \s+(?:are|is|lives?|sits?|can\s+be\s+found)\s+
                (?:(?:all|already|mostly|usually|normally|typically|generally|often)\s+){0,2}
                (?:in|on)\s+
                # "in the ...", or a source named bare: "live in product manuals"
                (?:(?:the|our|their|its)\s+|(?=(?:[\w-]+\s+)?(?:"""
            + STRONG_NOUNS
            + r""")\b))
                # not what the user sends: "the answer is in the question"
                (?!(?:[\w'-]+\s+){0,2}?(?:prompt|input|context|request|question|message|email
                  |ticket|chat|form|conversation|thread)s?\b)
                (?:[\w'/-]+\s+){0,2}?[\w'/-]+
            )
            """,
            1.0,
        ),
        _r(
            "private.context-helped",
            "The team's content put into the prompt helped: knowledge the model answers better"
            " with ('adding our conversion history and catalog metadata into the prompt helped').",
            r"""
            \b(?P<h>
                (?:adding|putting|injecting|feeding|including|stuffing|pasting|giving[ ]it
                  |providing)\s+
                # not examples or instructions: that is prompting working
                (?!(?:[\w'&-]+\s+){0,3}?(?:examples?|instructions?|shots?|demonstrations?|rules
                  |few-shot)\b)
                (?:[\w'&-]+\s+){1,7}?(?:in|into|to)\s+(?:the\s+)?
                (?:prompts?|context)\s+(?:already\s+|really\s+)?
                (?:helped|helps|improved|improves|fixed|fixes|worked|works|made[ ]a[ ]difference)
            )\b
            """,
            1.2,
        ),
        _r(
            "private.looked-up",
            "Reference content people look things up in today: 'the property tables and methods"
            " the engineers normally look up', 'agents look it up in the wiki'.",
            r"""
            \b(?P<h>
                (?:"""
            + _PEOPLE
            + r"""|we|they|i)\s+(?:normally\s+|usually\s+|always\s+|often\s+|currently\s+
                  |still\s+|manually\s+|have[ ]to\s+|need[ ]to\s+)?
                (?:look|looks|looked)\s+(?:it\s+|them\s+|things\s+|this\s+|that\s+)?up
                (?!\s+(?:to|at)\b)
            )\b
            """,
            1.0,
        ),
        _r(
            "private.grounded-in",
            "Answers that must agree with the team's sources: 'the advice needs to match what the"
            " manuals say'.",
            r"""
            \b(?P<h>
                (?:match|follow|agree[ ]with|stick[ ]to|be[ ]based[ ]on|come[ ]from
                  |be[ ]grounded[ ]in|reflect|line[ ]up[ ]with)\s+what\s+(?:the|our|their)\s+
                (?:[\w-]+\s+){0,2}?
                (?:says?|said|contains?|states?)
              | (?:(?:have|has|must|needs?)\s+to|so\s+(?:that\s+)?(?:the\s+)?answers?)\s+
                come\s+from\s+(?:the|our|their)\s+(?:\w+\s+)?
                (?:documents?|docs|sources?|passages|files|manuals?|polic(?:y|ies)|records?
                  |protocols?|handbooks?|guides?|wiki|knowledge[ ]base)
                # "answers strictly based on the Food Safety Law and its decrees"
              | (?:strictly|only|solely|entirely|purely|exclusively)\s+(?:be\s+)?
                (?:based|grounded)\s+(?:on|in)\s+(?:the|our|their)\s+
                (?!(?:user's|users'|customer's|question|input|prompt)\b)\w+
              | (?:follow|follows|following)\s+our\s+(?:\w+\s+)?(?:protocols|policies|procedures
                  |guidelines|sops)
                # "source of truth is the set of approved drug labels"
              | source\s+of\s+truth\s+(?:is|are|will\s+be|should\s+be|must\s+be|=|:)\s+
                (?:the|our|their|a|an)\b
              | (?:is|are|as)\s+(?:the|our)\s+(?:single\s+|only\s+|one\s+)?source\s+of\s+truth
              | (?:offline|local|full)[ ](?:\w+[ ])?(?:dump|mirror|crawl|copy)[ ]of
              | (?:wikipedia|wiki|web|docs?|news|text|\w+/\w+)[ ](?:dump|crawl|mirror)
              | (?:info|data|information|details|prices|content)\s+
                (?:lives?|is[ ]stored|are[ ]stored|sits?)\s+in\s+(?:\S+\s+)?
                (?:sql|database|tables|crm|erp|sharepoint|wiki|confluence|notion|spreadsheets?
                  |systems?)
              | contradicts?[ ]what[ ](?:the|our)[ ](?:\w+[ ])?(?:said|says|taught|wrote|teaches)
                # "use those rather than random internet advice", "not whatever the model
                # remembers": the team's own content against what the model or the web has
              | (?:rather\s+than|instead\s+of|not)\s+(?:in\s+|on\s+|from\s+)?
                (?:random|generic|general|whatever(?:'s|\s+is)?|some)\s+(?:\w+\s+)?
                (?:internet|web|online)(?:\s+(?:advice|info|information|answers|content|stuff
                  |sources|results))?
              | not\s+(?:in\s+|on\s+|from\s+)?whatever\s+(?:the\s+)?(?:model|it|llm|chatgpt|gpt)
                \s+(?:remembers|knows|learned|was\s+trained\s+on|makes\s+up)
            )\b
            """,
            1.2,
            scope="none",
        ),
        _r(
            "missing.niche-topics",
            "Gaps on rare facts: 'just guesses on niche topics', 'no idea about obscure entities'.",
            r"""
            \b(?P<h>
                (?:guess(?:es|ing)?|makes?[ ](?:things|stuff)[ ]up|hallucinat\w*|has[ ]no[ ]idea
                  |fumbles?|struggles?)\s+(?:\w+\s+)?(?:on|about|with)\s+(?:the\s+)?
                (?:niche|obscure|rare|specialist|specialised|specialized|long[- ]tail|local|domain)
              | the[ ]long[ ]tail[ ]of[ ](?:facts|entities|questions|topics)
            )\b
            """,
            1.2,
            scope="none",
        ),
        _r(
            "examples.not-yet",
            "Training data that doesn't exist yet: 'plan was to fund a big labelled set', 'start"
            " collecting data to train'.",
            r"""
            \b(?P<h>
                (?:plan(?:[ ]was|[ ]is)?|planning|want|going|need|have|would[ ]have|'d[ ]have)
                \s+to\s+(?:fund|collect|build|create|gather|label|annotate|get|start[ ]collecting)
                \s+(?:\w+\s+){0,3}?(?:labell?ed\s+|training\s+|annotated\s+)?
                (?:set|data|dataset|examples)
              | start(?:ed)?[ ]collecting[ ](?:\w+[ ])?(?:data|examples)
            )\b
            """,
            0.8,
            polarity=-1,
            scope="none",
        ),
        _r(
            "examples.nothing-to-train-on",
            "No history to learn from: 'we have no past replies to train on'.",
            r"""
            \b(?P<h>
                (?:no|few|too[ ]few|not[ ]many|not[ ]enough)\s+
                (?:past\s+|historical\s+|old\s+|previous\s+|existing\s+|good\s+)?
                (?:replies|examples|data|labels|pairs|training[ ]data|transcripts|answers|outputs)
                \s+to\s+(?:train|learn|fine-?tune|tune)\s+(?:on|from|with)
                # "there's no reliable ground truth"
              | no\s+(?:reliable\s+|trustworthy\s+|clean\s+|real\s+)?ground[ -]truth
            )\b
            """,
            1.0,
            polarity=-1,
            scope="none",
        ),
        _r(
            "missing.knows-nothing",
            "The model knows nothing of the team's world: 'it knows nothing about our protocols'.",
            r"""
            \b(?P<h>
                knows?[ ](?:nothing|little)[ ](?:about|of)
              | (?:has|have)[ ]no[ ](?:idea|knowledge|clue)[ ](?:about|of)
              | (?:isn't|is[ ]not|aren't|are[ ]not)[ ]aware[ ]of
                # "the models don't have the precise definitions of each offence in mind"
                # (a model's gap: not "we don't have a format in mind")
              | (?:it|they|the[ ]models?|models|llms|the[ ]llm)[ ](?:\w+[ ])?
                (?:"""
            + DO_NOT
            + r""")[ ]have[ ](?:\S+[ ]){0,6}?in[ ]mind
            )\b
            """,
            1.2,
            scope="none",
        ),
        _r(
            "missing.general-knowledge",
            "Answers from what the model generally knows instead of the team's source: 'it"
            " answers from general medical knowledge, not from our manual'.",
            r"""
            \b(?P<h>
                (?:answers?|replies|responds?|draws?)\s+(?:\w+\s+)?from\s+(?:general|its[ ]own
                  |public|generic|broad)\s+(?:\w+\s+)?knowledge
              | not\s+from\s+(?:our|the|their)\s+(?:\w+\s+)?(?:manual|docs|documents|guide
                  |policies|handbook|knowledge[ ]base|wiki|sources?|records)
            )\b
            """,
            1.2,
            scope="none",
        ),
        _r(
            "missing.never-seen",
            "Content no model has seen: 'customers' own videos, so no model has ever seen them'.",
            r"""
            \b(?P<h>
                no[ ](?:model|llm|ai)[ ](?:has[ ]|had[ ]|will[ ]have[ ])?ever[ ]seen
              | (?:the[ ])?(?:model|llm)[ ](?:has|have|had)[ ](?:\w+[ ])?never[ ]seen
              | never[ ](?:been[ ])?seen[ ]by[ ](?:any|a|the)[ ](?:model|llm)
            )\b
            """,
            1.2,
            scope="none",
        ),
        _r(
            "volume.too-big-for-prompt",
            "Content too big to paste into every prompt: 'too long to paste in for every"
            " question', 'can't paste 16k docs into the prompt'.",
            r"""
            \b(?P<h>
                too[ ](?:long|big|large|much)[ ](?:and[ ]\w+[ ])?to[ ](?:paste|fit|put|stuff
                  |include|send)
              | can(?:'t|not)[ ](?:\w+[ ])?(?:paste|fit|stuff|put)[ ](?:\S+[ ]){0,4}?into[ ]
                (?:the|a|every|each)[ ](?:prompt|context)
                # "can't put whole filings in context"
              | can(?:'t|not)[ ](?:\w+[ ])?(?:paste|fit|stuff|put|load)[ ]
                (?:whole|entire|all[ ](?:the[ ])?|every)[ ]?(?:[\w-]+[ ]){1,2}?in(?:to)?[ ]
                (?:the[ ]|a[ ]|one[ ])?(?:prompt|context)
                # "configuration that doesn't fit in one prompt", "blew past the token limit"
              | (?:doesn't|don't|does[ ]not|do[ ]not|won't|wouldn't|never|can't|cannot)[ ]
                (?:\w+[ ])?fits?[ ](?:in|into|inside|within)[ ]
                (?:(?:the|a|one|any|our|a[ ]single)[ ])?
                (?:\w+[ ])?(?:prompt|context|context[ ]window)
              | (?:blows?|blew|blown|goes|went|runs?|ran)[ ](?:past|through|over|beyond|out[ ]of)
                [ ](?:the[ ])?(?:token[ ]limit|context(?:[ ]window|[ ]limit)?|tokens)
              | (?:exceeds?|exceeded|overflows?)[ ](?:the[ ])?(?:\w+[ ])?(?:context(?:[ ]window)?
                  |token[ ]limit)
                # "way too long for one prompt", "often way over context length"
              | (?:way[ ]|far[ ]|much[ ])?too[ ](?:long|big|large)[ ]for[ ]
                (?:the[ ]|a[ ]|one[ ]|a[ ]single[ ]|any[ ]|our[ ])?(?:prompt|context|model|llm)
              | (?:way|far|well)[ ](?:over|beyond|past)[ ](?:the[ ])?(?:context|token[ ]limit
                  |max(?:imum)?[ ]context)
                # "truncating notes to fit context": what is cut to fit is too big
              | truncat\w*[ ](?:\S+[ ]){0,3}?to[ ]fit
            )\b
            """,
            1.1,
            scope="none",
        ),
        _r(
            "changing.must-be-current",
            "Information that has to stay current: 'has to be current and authoritative'.",
            r"""
            \b(?P<h>
                (?:has|have|needs?|must)\s+(?:to\s+)?(?:be\s+)?(?:kept\s+)?(?:current
                  |up[- ]to[- ]date|fresh)\b(?![ ](?:model|version[ ]of[ ]the[ ]model))
            )
            """,
            1.2,
            scope="none",
        ),
        _r(
            "precision.low-tolerance",
            "Little tolerance for wrong facts: 'tolerance for wrong facts is very low'.",
            r"""
            \b(?P<h>
                (?:low|no|zero|little)[ ]tolerance[ ]for[ ](?:wrong|incorrect|made-up|bad)
              | tolerance[ ]for[ ](?:wrong|incorrect)[ ](?:facts|answers|information|info)
                [ ]is[ ](?:\w+[ ])?(?:low|zero|nil)
              | can't[ ]tolerate[ ](?:wrong|incorrect)
            )\b
            """,
            1.0,
            scope="none",
        ),
        _r(
            "has_rag.retrieval-not-helping",
            "Retrieval tried and not the fix: 'retrieving more templates doesn't help'.",
            r"""
            \b(?P<h>
                (?:retriev\w*|rag|search\w*|more[ ](?:docs|documents|templates|context|chunks
                  |passages)|a[ ]better[ ]retriever)\s+(?:\w+\s+){0,3}?(?:doesn't|does[ ]not
                  |didn't|did[ ]not|won't|wouldn't)\s+(?:really\s+)?(?:help|fix|change|improve)
            )\b
            """,
            1.0,
            scope="none",
        ),
        _r(
            "missing.all-in-input",
            "Everything the model needs is in its input — no knowledge to look up: 'no outside"
            " knowledge is needed', 'facts come from the attribute record'.",
            r"""
            \b(?P<h>
                # "everything the summary needs is inside that claim's own documents"
                (?:everything|all)\s+(?:the\s+[\w-]+|it|we)\s+needs?\s+(?:\w+\s+)?
                (?:is|are)\s+(?:already\s+)?(?:in|inside|within)\s+(?:the|that|this|each|its
                  |their)\b
              | (?:no|zero)\s+(?:outside|external|extra|additional|other|world)\s+
                (?:knowledge(?:[ ]base)?|information|info
                  |data|context|facts)\s+(?:is\s+|are\s+)?(?:needed|required|necessary
                  |involved)
              | (?:facts|details|information|data|info)\s+(?:that\s+)?(?:the|our)\s+(?:\w+\s+)?
                (?:pastes?|provides?|gives?|supplies|supply|types?|enters?)\s+in\b
              | the\s+[\w-]+\s+(?:is|are)\s+(?:already\s+)?(?:in|part[ ]of)\s+the\s+
                (?:request|prompt|input|context|message)
              | (?:facts|details|information|data)\s+(?:all\s+)?come\s+from\s+the\s+
                (?:[\w-]+\s+){0,2}?(?:record|input|form|attributes?|schema|request|ticket|message
                  |document|call|transcript)s?
            )
            """,
            1.0,
            polarity=-1,
            scope="none",
        ),
    )


def _cost() -> tuple[Rule, ...]:
    return (
        _r(
            "latency.small-model",
            "A small model to run ('a smaller, faster model', 'on a small open model'): a"
            " constraint that favours tuning one, weaker than a stated cost or latency need.",
            r"""
            (?<!our[ ])(?<!current[ ])  # not the one they already run
            \b(?P<h>
                small(?:er)?(?:,?[ ](?:faster|cheaper))?[ ]
                (?:open[ ]|local[ ]|open-source[ ]|open-weight[ ])?models?
                # "it has to run on a ~9B model", "on a 7b open model"
              | (?:run|runs|fit|fits|deploy|serve|host)(?:[ ]it)?[ ]on[ ]an?\s+~?
                (?:[1-9]|1[0-4])(?:\.\d)?[ ]?b(?:[ ]parameter|-parameter)?[ ]
                (?:open[ ]|local[ ]|open-source[ ]|open-weight[ ])?model
                # "we can host an 8b model", "we can only serve a 7b"
              | can[ ](?:only[ ])?(?:run|host|serve|deploy|afford)[ ]an?\s+~?
                (?:[1-9]|1[0-4])(?:\.\d)?[ ]?b\b
            )\b
            """,
            0.8,
        ),
        _r(
            "latency.cost-words",
            "Cost or latency of serving at volume, in plain words: 'burning too many tokens per"
            " call', 'openai costs are killing us', 'calls take 7-15 seconds'.",
            r"""
            \b(?P<h>
                too[ ]many[ ]tokens | tokens?[ ]per[ ](?:call|request|query|item|message)
                # "every question burns a ton of tokens"
              | (?:burns?|burning|eats?|eating|wastes?|wasting)[ ]
                (?:a[ ]ton[ ]of|tons[ ]of|lots[ ]of|so[ ]many|way[ ]too[ ]many|a[ ]lot[ ]of)
                [ ]tokens
              | (?:per[- ]token|per[- ]call|per[- ]request|per[- ]item|api|token|openai|vendor
                  |inference|hosted[ ]model)\s+(?:pricing|prices|costs?|bills?|spend|fees)
              | (?:costs?|bills?|spend|pricing)\s+(?:is|are|gets?|becomes?)\s+(?:\w+\s+)?
                (?:killing|ugly|steep|prohibitive|unsustainable|brutal|painful|a[ ]problem
                  |out[ ]of[ ]control|too[ ]high)
              | costs?[ ]matters? | the[ ]bill\s+(?:doesn't|does[ ]not|won't|will[ ]not)\s+work
              | (?:calls?|requests?|responses?|answers?|it)\s+takes?\s+(?:\d+(?:\s*-\s*\d+)?|several
                  |many|tens[ ]of)\s+seconds
              | synchronous | customers?[ ]are[ ]waiting | (?:users?|customers?)[ ]wait(?:ing)?[ ]on
              | (?:pricey|expensive|costly)[ ]per[ ]\w+
              | (?:strict|tight|hard)?[ ]?time[ ]limits?[ ]per[ ]
                (?:question|query|request|call|item)
              | (?:fully|completely|entirely)[ ]offline | (?:a|one)[ ]single[ ](?:[\w-]+[ ])?gpu
            )\b
            """,
            1.2,
            scope="none",
        ),
    )


_AI = r"(?:ai|genai|gen[ -]ai|generative[ ]ai|llms?|gpt|chatgpt|chatbots?|copilots?|ai[ ]assistant)"


def _undefined() -> tuple[Rule, ...]:
    return (
        _r(
            "undefined.no-use-case",
            "Nobody has said what the model would do or for whom: 'nobody has pinned down who"
            " would use it', 'none has named a specific process yet', 'users: TBD'.",
            r"""
            \b(?P<h>
                (?:nobody|no[ ]one|none[ ]of[ ]us)\s+(?:has\s+|have\s+)?(?:really\s+|actually\s+)?
                (?:pinned[ ]down|decided|defined|figured[ ]out|named|agreed[ ]on|worked[ ]out
                  |scoped|owns)\b
              | (?:haven't|have[ ]not|hasn't|has[ ]not)\s+(?:yet\s+)?(?:pinned[ ]down|decided
                  |defined|figured[ ]out|agreed[ ]on|worked[ ]out|scoped)\s+(?:yet\s+)?
                (?:who[ ](?:would|will|should)[ ]use|what[ ](?:it|we)[ ](?:would|should|will)
                  |which[ ](?:team|department|users?|process)|the[ ](?:use[ ]case|users?|problem
                  |scope))
              | (?:none|nobody|no[ ]one)\s+(?:\w+\s+){0,2}?(?:has\s+)?(?:named|picked|chosen
                  |identified|proposed)\s+an?\s+(?:specific|concrete|particular|real)\b
              | no\s+(?:specific|concrete|clear|real|defined)\s+(?:use[ ]cases?|process(?:es)?
                  |tasks?|problems?|users?)\b
              | (?:users?|use[ ]cases?|success[ ](?:measures?|metrics?|criteria)|target[ ]users?
                  |kpis?)\s*(?:[:=]|is|are)?\s*(?:still\s+)?(?:tbd|tbc|unclear|unknown
                  |undecided|not[ ](?:yet[ ])?(?:defined|decided|clear|known))\b
              | (?:don't|do[ ]not)\s+(?:yet\s+|really\s+)?know\s+(?:yet\s+)?(?:what[ ](?:we|it)
                  [ ](?:would|should|will|could)|who[ ](?:would|will|should)[ ]use|what[ ]to[ ]use
                  [ ]it[ ]for)
              | who\s+would\s+use\s+it\s+or\s+(?:for\s+)?what
            )
            """,
            1.0,
            scope="none",
        ),
        _r(
            "undefined.vague-ambition",
            "An ambition with no task in it: 'do something with GenAI', 'our LLM strategy',"
            " 'something AI-powered', 'put an LLM thing on top of it'.",
            r"""
            \b(?P<h>
                do\s+(?:something|anything|more)\s+(?:\w+\s+)?with\s+"""
            + _AI
            + r"""
              | something\s+(?:ai[- ]powered|llm-ish|ai-ish|(?:with|using)\s+"""
            + _AI
            + r""")
              | (?:an?|our|the)\s+(?:\w+\s+)?"""
            + _AI
            + r"""\s+(?:strategy|initiative|roadmap|play|story)
              | put\s+(?:an?\s+)?"""
            + _AI
            + r"""\s+(?:\w+\s+)?on\s+top\s+of\s+(?:it|this|that|our|everything|the[ ]data)
              | use\s+(?:the|our|all[ ](?:the|our|this))\s+(?:\w+\s+)?(?:data|reports|documents)
                \s+somehow
            )\b
            """,
            0.8,
            scope="none",
        ),
        _r(
            "undefined.mandate",
            "A mandate from above for AI in general: 'the board keeps asking', 'leadership"
            " wants our own GPT', 'the CEO came back from a conference'.",
            r"""
            \b(?P<h>
                (?:the[ ]|our[ ])?(?:board|ceo|cto|cio|leadership|execs?|executives?|exec[ ]team
                  |management|steering[ ]group|higher[- ]ups|boss)\s+(?:\w+\s+){0,2}?
                (?:wants?|asked|asks|is[ ]asking|keeps[ ]asking|is[ ]keen|expects|came[ ]back
                  |saw[ ]a[ ]demo|attended)\b
            )
            """,
            0.6,
            scope="none",
        ),
    )
