"""Rules for behaviour needs, prompt-first signs and the tool a user has in mind."""

from __future__ import annotations

from bot.core.triage.lexicon.base import (
    ALREADY_RIGHT,
    CHAT_MODELS,
    DATA_FORMATS,
    DO_NOT,
    INPUT_TOO_LONG,
    OUTPUT_NOUNS,
    PROMPT_WORDS,
    Rule,
)
from bot.core.triage.lexicon.base import rule as _r

# What a detector to build does, after its noun: "a guardrail that catches ...", "a filter to
# flag ..." (a narrow skill, not a standing instruction a prompt can carry).
_CATCHES = r"""[ ](?:model[ ])?(?:that|which|to)[ ](?:catch|detect|flag|spot|identif|block)"""


def behaviour_rules() -> tuple[Rule, ...]:
    return (
        _r(
            "format.strict-format",
            "A required output shape: schema, template, fixed format, structured output, valid"
            " JSON.",
            r"""
            \b(?P<h>
                json[ ]schema | templates?
                # an output schema, not a knowledge graph's or a database's
              | (?<!graph[ ])(?<!database[ ])(?<!db[ ])(?<!kg[ ])(?<!sql[ ])
                schema(?![ ](?:snippets|linking|of[ ]the[ ](?:graph|database|db|tables)))
                # "a strict report format", "fixed sections"
              | (?:fixed|strict|rigid|exact)[ ](?:[\w-]+[ ]){0,2}
                (?:format|structure|layout|template|sections|schema|output)
              | specific[ ](?:output[ ])?(?:format|structure|layout)
              | output[ ]format | response[ ]format | report[ ]format | house[ ]format
              | structured[ ](?:output|outputs|responses?|json|data|reports?|format)
                # "consistent json formatting"
              | consistent[ ](?:(?:"""
            + DATA_FORMATS
            + r""")[ ])?
                (?:format|formatting|structure|output|outputs|layout|sections|fields)
              | same[ ](?:format|structure|sections|layout|template)[ ]every[ ]time
                # machine-readable output
              | markdown[ ]tables? | form[ ]fields | valid[ ]json | parseable | machine-readable
              | well-formed
              | required[ ](?:format|structure|sections|template|layout|fields)
            )\b
            """,
            1.3,
        ),
        _r(
            "format.output-as",
            "Output in a named format: 'return JSON', 'reply as a table', 'our format'.",
            r"""
            # a verb of output, then the format: "return it as json"
            \b(?:output|respond|return|emit|produce|generat|reply|replies|answer|write)\w*[ ]
            (?:\w+[ ]){0,3}?
            (?P<h>"""
            + DATA_FORMATS
            + r""" | csv | a[ ]table | tables | bullet[ ]points | format\w*)\b
            # a format named on its own: "our format", "json" (not "the input format")
          | \b(?P<h2>(?:our|a|the|their|this|that)[ ](?!input[ ])(?:\w+[ ])?format | formatting
            | """
            + DATA_FORMATS
            + r""")\b
            """,
            0.9,
        ),
        _r(
            "format.format-drift",
            "Output whose format drifts or breaks: 'the JSON is often invalid', 'breaks our"
            " parser'.",
            r"""
            \b(?P<h>
                # "the format varies", "output changes every time"
                (?:"""
            + OUTPUT_NOUNS
            + r""")(?:[ ]structure|[ ]format)?[ ]
                (?:varies|vary|drifts?|changes?[ ](?:every|each)[ ]time)
                # "responses are all over the place"
              | (?:"""
            + OUTPUT_NOUNS
            + r""")[ ]
                (?:is|are|keeps?[ ]being|comes[ ]out|varies|vary|gets?)[ ](?:\w+[ ])?
                (?:inconsistent|all[ ]over[ ]the[ ]place|unreliable|broken|wrong|messy|invalid)
                # input file formats are not output formats: "formats are all over the place: PDFs"
                (?!\W+(?:\w+\W+){0,2}?(?:pdfs?|docx?|slides?|slide[ ]decks?|decks?|spreadsheets?
                  |images?|scans?|html|csvs?|files|emails?|word[ ]docs?))
              | inconsistent[ ](?:"""
            + OUTPUT_NOUNS
            + r""")
                # "breaks the parser"
              | breaks?[ ](?:the[ ]|our[ ])?(?:json|schema|format|parser)
            )
            """,
            1.3,
            scope="none",
        ),
        _r(
            "style.brand-voice",
            "A voice to keep: brand voice, house style, style guide, 'sound like us', a persona.",
            r"""
            \b(?P<h>
                brand[ ](?:voice|tone|style|guidelines?|personality) | house[ ]style
              | style[ ]?guides? | on[- ]brand
                # "our own voice", "a consistent tone"
              | (?:our|the[ ]company's|company|their|a[ ]consistent)[ ](?:own[ ])?
                (?:voice|tone|writing[ ]style|register|personality)
              | tone[ ]of[ ]voice | writing[ ]style
                # sounding like someone
              | sound(?:s|ing)?[ ](?:like|more[ ]like)[ ]
                (?:us|our|a|an|the|me|him|her|them|\w+'s)
              | write[ ](?:like|in[ ]the[ ]style[ ]of) | imitat\w*
              | mimic(?:s|ked|king|ry)?(?!-)  # not the MIMIC-IV dataset
                # personas and characters
              | persona | in[ ]character | break(?:s|ing)?[ ]character | out[ ]of[ ]character
            )\b
            """,
            1.3,
        ),
        _r(
            "style.tone-word",
            "The words tone, tonality, register or voice (not 'voice assistant', 'voice notes').",
            r"""
            \b(?P<h> tone | tonality | register | voice )\b
            # not a voice interface or a voice note
            (?!\s+(?:assistant|bot|interface|agent|calls?|commands?|recognition|input|notes?
              |memos?|channel|search|app|ui|mode|and[ ]text|or[ ]text|/[ ]?text|data|recordings?
              |samples?|clips?|messages?|lines?|traffic|biometrics?|later|support|version|too
              |as[ ]well))
            (?!/text)
            # the channel: "chat and voice", "text or voice", "text + voice"
            (?<!(?:chat|text)[ ]and[ ]voice)(?<!(?:chat|text)[ ]or[ ]voice)
            (?<!(?:chat|text)[ ][+&][ ]voice)(?<!(?:chat|text)[+&]voice)
            """
            + ALREADY_RIGHT
            + r"""
            """,
            1.0,
        ),
        _r(
            "style.tone-adjective",
            "A tone adjective with a noun ('friendly tone', 'formal replies'), or the word style.",
            r"""
            # "a friendly tone", "formal replies"
            \b(?P<h>
                friendly | formal | informal | casual | playful | witty | empathetic | polite
              | warm | upbeat | cheerful | professional | snarky | humorous | folksy
              | plain-english
            )[ ]
            (?:tone|voice|style|replies|responses|answers|emails|way|manner|copy|language
              |register)\b
            # the word style, not "style transfer", "style sheet", "style code"
            # (not "analyst-style notes")
          | (?<!-)(?<!\d[ ])\b(?P<h2>style)\b(?![ ]transfer|[ ]sheet|[ ]code)
            # nor a kind of data: "a mimic-iv style eval", "n2c2 2018 style"
            # nor a kind of prompt: "a bloom's-taxonomy style prompt"
            (?![ ](?:evals?|evaluation|benchmarks?|datasets?|data|tasks?|questions|splits?|tests?
              |cases|queries|problems?|setup|pipeline|prompts?|instructions?))
            """,
            0.8,
        ),
        _r(
            "format.fixed-layout",
            "A layout to follow: 'the same structure', 'follow our template', 'a section for"
            " risks'.",
            r"""
            \b(?P<h>
                # "the standard layout", "an approved template"
                (?:same|standard|standardi[sz]ed|uniform|predefined|prescribed|mandated|agreed
                  |approved|house|required|fixed)[ ](?:[\w-]+[ ])?
                (?:structure|layout|format|sections|template|outline)
                # "follow our report template"
              | follow\w*[ ](?:our|the|a|their)[ ](?:[\w-]+[ ]){0,2}
                (?:layout|structure|format|template|outline)
                # "she has a very specific step-by-step layout and notation"
              | (?:her|his|their|our|very)[ ](?:own|specific|particular|exact)[ ]
                (?:[\w-]+[ ]){0,2}?(?:layout|notation)
              | (?:our|their|the|a)[ ](?!input[ ])(?:[\w-]+[ ]){1,2}format
                # named sections: "a summary section and", "sections for the risks"
              | (?:an?|the)[ ][\w-]+[ ]section(?:,|[ ]and)
              | sections?[ ](?:for|with)[ ](?:the[ ])?\w+
            )\b
            """,
            1.2,
        ),
        _r(
            "style.way-of-writing",
            "A particular way of writing: 'the way our agents write', writing guidelines, 'our"
            " legal voice'.",
            r"""
            \b(?P<h>
                sound(?:s|ing)?[ ](?:like|as[ ]if|as[ ]though)
                # "the way our lawyers write", "how we talk"
              | (?:the[ ]way|how)[ ](?:our[ ]|we[ ]|they[ ]|the[ ])(?:[\w-]+[ ]){0,3}
                (?:write|writes|speak|speaks|talk|talks|sound|sounds)
                # guidelines for writing
              | (?:writing|style|editorial|brand|tone|voice|communication)[ ]
                (?:guidelines|rules|standards|conventions)
              | (?:our|their|the)[ ][\w']+[ ](?:voice|tone|writing[ ]style)
                # "a very specific way of answering"
              | (?:very[ ]|a[ ])?(?:specific|particular|certain|exact)[ ](?:way|manner|style)
                [ ]of[ ](?:writing|speaking|answering)
              | answer[ ]in[ ]a[ ](?:very[ ])?(?:specific|particular|certain)[ ]way
            )\b
            """,
            1.2,
        ),
        _r(
            "style.spelling-variant",
            "A spelling variant: British or American English, spelling conventions.",
            r"""
            \b(?P<h>
                british[ ]english | american[ ]english | uk[ ]english | us[ ]english
              | spelling[ ]conventions
            )\b
            """,
            0.8,
        ),
        _r(
            "jargon.wrong-terms",
            "Terms the model gets wrong, or a field's terms: 'wrong codes', 'medical terms',"
            " glossary.",
            r"""
            \b(?P<h>
                wrong[ ](?:[\w-]+[ ])?(?:terms|terminology|words|jargon|abbreviations|codes)
              | (?:medical|legal|technical|clinical|domain|industry|engineering|financial
                  |scientific|trade)[ ]terms
              | glossary(?:[ ]terms)?
            )\b
            """,
            1.1,
        ),
        _r(
            "jargon.domain-language",
            "Domain language: jargon, terminology, acronyms, legalese, ICD-10 codes, shorthand.",
            r"""
            \b(?P<h>
                jargon | terminology | terminologies | vocabulary | lingo | acronyms
              | abbreviations | technical[ ]terms
                # domain language
              | domain[- ]specific[ ](?:language|terms|vocabulary|wording)
              | domain[ ](?:language|terms|vocabulary|wording) | legalese
                # clinical coding
              | medical[ ]coding | icd-?10 | icd[ ]codes | cpt[ ]codes | snomed
              | clinical[ ](?:language|terminology|shorthand) | shorthand
                # specialised vocabulary
              | specialized[ ](?:\w+[ ])?(?:language|terms|vocabulary)
              | specialised[ ](?:\w+[ ])?(?:language|terms|vocabulary)
              | industry[- ]specific[ ](?:language|terms)
            )\b
            """
            + ALREADY_RIGHT
            + r"""
            """,
            1.2,
        ),
        _r(
            "skill.narrow-task",
            "A narrow task: classify, tag or route tickets, extract fields, sentiment,"
            " text-to-SQL.",
            r"""
            \b(?P<h>
                # classifying, tagging, routing
                classif\w* | categori[sz]\w* | categories
              | tag(?:s|ging)?[ ](?:each|every|the|incoming|our|tickets|emails|documents
                  |messages|reviews|them|it)
              | routing | route[ ](?:[\w-]+[ ]){0,3}(?:tickets|emails|requests|messages|calls)
              | triag\w*[ ](?:incoming[ ])?(?:tickets|emails|requests|messages|cases)
                # extracting and parsing
              | extract\w*
              | pars(?:e|ing)[ ](?:\w+[ ])?
                (?:invoices|forms|resumes|receipts|documents|contracts|emails)
              | named[ ]entit\w* | ner | sentiment
              | intent[ ](?:detection|classification|recognition)
              | label(?:l)?ing[ ](?:incoming|each|every|the|our|tickets|emails|documents
                  |messages|reviews)
              | entity[ ](?:extraction|resolution|linking)
              | fill(?:ing)?[ ](?:in[ ])?(?:forms|fields)
                # sql from questions
              | text[- ]to[- ]sql | generat\w*[ ]sql | writ\w*[ ]sql
              | sql[ ](?:queries[ ])?from[ ](?:natural[ ]language|questions) | sql[ ]generation
                # other narrow tasks
              | code[ ]review[ ]comments | moderation | spam[ ]detection | scoring
                # "a guardrail that catches fair-housing problems": a detector to train
              | (?:guardrail|filter|classifier|detector|checker)s?"""
            + _CATCHES
            + r"""\w*
            )\b
            """,
            1.0,
        ),
        _r(
            "latency.speed",
            "Speed or where it runs: latency, response time, sub-second, on-device, offline.",
            r"""
            \b(?P<h>
                # not a generous budget: "acceptable latency: ~20 s", "latency of 30 seconds is ok"
                (?<!acceptable[ ])(?<!tolerable[ ])
                # nor "a 10 s latency budget is fine"
                (?<![5-9][ ]s[ ])(?<![5-9]s[ ])(?<!\d\d[ ]s[ ])(?<!\d\ds[ ])
                (?<!seconds[ ])(?<!minutes[ ])(?<!minute[ ])
                latency
                (?!:?\s+(?:of\s+|is\s+|around\s+|about\s+|up\s+to\s+)?\s*
                  (?:[5-9]|\d{2,})(?:\.\d+)?\s?(?:s|secs?|seconds|minutes?|mins?)\b)
                (?!(?:[ ](?:budget|target))?[ ](?:is|are|seems|looks)[ ](?:fine|ok|okay|acceptable
                  |relaxed|generous|not[ ]a[ ](?:concern|problem|issue)))
              | low[- ]latency
                # not a team's own turnaround: "response times are long", "of several days"
              | response[ ]times?(?![ ](?:are|is|of|run|average)[ ](?:\w+[ ])?(?:long|days?|hours?
                  |weeks?|\d+[ ]?(?:days?|hours?|h)\b))
              | fast(?:er)?[ ](?:inference|responses?|answers|replies) | sub[- ]second
                # "real-time suggestions"
              | real[- ]?time[ ](?:responses?|inference|completions?|suggestions?|autocomplete
                  |classification|scoring|moderation)
              | autocomplete
                # where it runs
              | on[- ]device | on[ ]the[ ]device | edge[ ]devices?
              | run(?:s|ning)?[ ](?:it[ ])?
                (?:locally|offline|on[ ](?:a[ ])?(?:laptop|phone|cpu|edge|device))
              | offline[ ](?:mode|inference)
            )\b
            """,
            1.2,
        ),
        _r(
            "latency.cost",
            "Running cost: cost per query, token bill, 'GPT-4 is too expensive', smaller models.",
            r"""
            \b(?P<h>
                # cost per unit and bills
                cost[ ]per[ ](?:query|request|call|token|ticket|document|1k|thousand)
              | per[- ](?:query|request|token|call)[ ]costs?
              | inference[ ](?:cost|bill|spend)s? | token[ ](?:cost|bill|spend|budget)s?
              | api[ ](?:bill|costs?|spend)
              | cheaper[ ]than[ ](?:gpt\S*|claude|openai|the[ ](?:big|large|current)[ ]model)
                # "gpt-4o is too slow"
              | (?:gpt-?4o?|the[ ]large[ ]model|the[ ]big[ ]model|a[ ]large[ ]model
                  |frontier[ ]models?|openai|claude)\S*[ ]
                (?:is[ ]|are[ ]|gets[ ]|was[ ])?(?:too[ ]|very[ ]|really[ ])?
                (?:expensive|costly|slow|pricey)
              | too[ ](?:expensive|costly|slow|pricey)(?:[ ]and[ ](?:slow|expensive|costly))?
                # "getting expensive and slow", "slow and costly"
              | (?:expensive|costly|pricey)[ ]and[ ]slow | slow[ ]and[ ](?:expensive|costly|pricey)
                # cutting costs
              | (?:cut|reduce|lower)\w*[ ](?:our[ ]|the[ ])?(?:\w+[ ])?(?:costs?|spend|bill)
              | cheaper[ ](?:to[ ]run|to[ ]serve|per[ ]query|model|inference)
                # cheap models (a small one on its own: latency.small-model)
              | cheap(?:er)?[ ](?:and[ ]fast(?:er)?[ ])?models?
                # an answer time seen and too long: "answers take ~40 s", "calls took 12 seconds"
              | (?:answers?|responses?|replies|calls?|requests?|queries|generations?|completions?
                  |inference)[ ]
                (?:now[ ]|currently[ ]|often[ ]|still[ ]|sometimes[ ])?(?:takes?|took|taking)\s+
                (?:about\s+|around\s+|roughly\s+|up[ ]to\s+|over\s+|~\s*)?
                \d+(?:[.-]\d+)?[ ]?(?:s|secs?|seconds|minutes|mins?)
              | hate[ ]waiting | (?:too[ ]long|forever)[ ]to[ ](?:wait|answer|respond|load)
            )\b
            """,
            1.2,
        ),
        _r(
            "distill.distillation",
            "Distilling a large model into a small one: distillation, teacher-student, 'replace"
            " GPT-4 with a 7B'.",
            r"""
            # not a released model's name: "deepseek-r1 distills", "distilbert", "r1-distill-qwen"
            (?<!r1[ ])(?<!r1-)(?<!-)
            \b(?P<h>
                distil(?!bert|roberta|gpt|whisper)\w*(?!-\w)
              | teacher[- ]student | student[ ]model
                # "match the quality of gpt-4"
              | (?:match|mimic|replicate|imitate|copy|approach)\w*[ ](?:the[ ])?
                (?:quality|performance|outputs?|behaviou?r|results)[ ]of[ ]
                (?:gpt|a[ ](?:larger|bigger|frontier)[ ]model
                  |the[ ](?:large|big|bigger|larger)[ ]model|claude|o1|o3)
                # "outputs of gpt-4 as training data"
              | outputs?[ ](?:of|from)[ ](?:gpt\S*|claude|a[ ]larger[ ]model|the[ ]big[ ]model)
                [ ]as[ ]training[ ]data
                # "replace gpt-4 with a smaller model"
              | replace[ ]
                (?:gpt\S*|the[ ](?:large|big)[ ]model|claude
                  |an?[ ](?:expensive|large|frontier)[ ]model)
                [ ]with[ ](?:a[ ]|an[ ])?(?:small|smaller|cheaper|open|local|\d+b)
            )
            """,
            1.5,
        ),
        _r(
            "examples.labelled-data",
            "Training data on hand: labelled, annotated, golden set, training pairs, lots of"
            " examples.",
            r"""
            \b(?P<h>
                (?:model|it)[ ](?:to[ ]|can[ ]|could[ ]|should[ ])?learn[ ]from
                # labelled data
              | labell?ed | annotated | hand-labell?ed | human-labell?ed
              | gold(?:en)?[ ](?:set|data|examples|labels)
              | training[ ](?:data|set|examples|pairs) | input[- ]output[ ]pairs
                # translation pairs: "~1k aligned Bible verses", "a parallel corpus"
              | parallel[ ](?:text|texts|corpus|corpora|data|sentences)
              | aligned[ ](?:[\w-]+[ ])?(?:sentences|sentence[ ]pairs|pairs|verses|segments)
              | examples[ ]of[ ](?:good|ideal|correct|desired|approved)
                # "examples of the feedback we actually want"
              | examples[ ]of[ ](?:the|what)[ ](?:[\w-]+[ ]){0,2}?(?:we|they|you|i)[ ]
                (?:actually[ ]|really[ ])?(?:want|like|need|expect|prefer)
                # "years of approved replies", "lots of examples"
              | (?:years|archive)[ ]of[ ](?:labell?ed|annotated|approved|historical|curated)
              | (?:lots|plenty|tons|loads|a[ ]lot)[ ]of[ ](?:\w+[ ])?(?:examples|pairs|samples)
                # "we have the criterion labels"
              | (?:we|they)[ ](?:have|had|got|keep)[ ](?:the[ ]|all[ ]the[ ]|their[ ])?
                (?:[\w-]+[ ])?
                labels
            )\b
            """,
            0.9,
        ),
        _r(
            "examples.no-data",
            "Not enough training data: 'we don't have much labelled data', 'without any examples'.",
            r"""
            \b(?P<h>
                (?:don't|do[ ]not|doesn't|haven't|have[ ]not|have[ ]no|without|lack|lacking)[ ]
                (?:\w+[ ])?(?:much|enough|any|a[ ]lot[ ]of|lots[ ]of|many|sufficient)[ ]
                (?:\w+[ ])?(?:data|examples|training[ ]data)
            )\b
            """,
            0.8,
            polarity=-1,
            scope="none",
        ),
        _r(
            "behaviour_gap.ignores-instructions",
            "The model misbehaves: ignores instructions, doesn't follow the rules, inconsistent"
            " answers.",
            r"""
            \b(?P<h>
                # ignoring or not following instructions
                ignores?[ ](?:our[ ]|the[ ]|my[ ])?(?:[\w-]+[ ])?
                (?:instructions|rules|guidelines|constraints|system[ ]prompt|protocols|conventions
                  |patterns|helpers?|helper[ ]libs|libs|libraries|idioms)
              | (?:"""
            + DO_NOT
            + r""" | won't | never)[ ]
                (?:reliably[ ]|consistently[ ]|always[ ])?follow[ ](?:our[ ]|the[ ])?
                (?:instructions|rules|guidelines|format|template|schema|style[ ]guide)
              | misunderstands?[ ](?:the[ ])?instructions
                # "red-teamers can still get it to drift off our guidelines"
              | drift(?:s|ed|ing)?[ ](?:off|away[ ]from|from)[ ](?:our[ ]|the[ ]|its[ ])?
                (?:guidelines|rules|script|policy|policies|instructions|persona|brief)
                # unreliable reasoning, skipped steps
              | (?:reasoning|logic)(?:[ ][\w']+){0,5}[ ](?:is|are)[ ](?:\w+[ ])?
                (?:unreliable|inconsistent|wrong|flaky|shaky|weak|poor|sloppy|bad)
              | skips?[ ](?:the[ ])?(?:steps|sections|fields|parts) | unreliable[ ]reasoning
                # inconsistent behaviour
              | inconsistent[ ](?:answers|behaviou?r|results|quality)
              | (?:responses|answers|outputs?)[ ]
                (?:vary|varies|are[ ]inconsistent|are[ ]all[ ]over[ ]the[ ]place)
                # not people varying: "answers vary by officer", "from agent to agent"
                (?![ ](?:by|from|between|across|with|depending[ ]on)[ ](?:the[ ]|each[ ]|which[ ])?
                  (?:officers?|agents?|staff|teams?|people|persons?|clerks?|employees?|reviewers?
                  |doctors?|advisers?|advisors?|who|branch\w*|offices?|regions?))
              | same[ ]way[ ]every[ ]time
              | behaves?[ ](?:consistently|the[ ]same[ ]way|differently)
            )
            """,
            1.0,
            scope="none",
        ),
    )


# A prompt, as a group: "(?:prompting|system prompts|few-shot examples|...)".
_PROMPT = "(?:" + PROMPT_WORDS + ")"


def prompt_rules() -> tuple[Rule, ...]:
    return (
        _r(
            "prompting.tried-prompting",
            "Prompting already tried ('we tried few-shot prompting'); negated, not tried yet.",
            r"""
            # the verb of trying
            \b(?P<h>
                tried | tested | experimented[ ]with | played[ ](?:around[ ])?with
              | iterated[ ]on | tuned | tweaked | used | spent[ ](?:\w+[ ]){1,3}on | done | did
              | written | wrote | built | crafted | designed
            )\s+
            # "tried a local open model with 10 worked examples"
            (?:\w+\s+){0,3}?(?:(?:[\w-]+\s+){0,4}?with\s+(?:\w+\s+){0,2}?)?
            """
            + _PROMPT
            + r"""
            # "prompting gpt for feedback gives this rubric-y stuff"
          | \b(?P<h2>prompting)\s+(?:[\w.-]+\s+){1,4}?
            (?:gives|gave|produces|produced|returns|returned|yields|yielded|spits[ ]out|gets[ ]us
              # "prompting gpt-class models directly mixes up similar charges"
              |mix(?:es|ed)[ ]up|confus(?:es|ed)|miss(?:es|ed)|fails|failed|hallucinat(?:es|ed)
              |invents|invented|struggles|struggled)
            \b""",
            0.6,
            scope="before",
            neg_strength=1.5,
        ),
        _r(
            "prompting.tried-and-failed",
            "Prompting tried and not enough: 'prompting isn't cutting it', 'even with few-shot"
            " it drifts'.",
            r"""
            \b(?P<h>
                # "the prompt alone doesn't get the tone right"
                """
            + _PROMPT
            + r"""[ ](?:\w+[ ]){0,2}?
                (?:isn't|aren't|wasn't|weren't|is[ ]not|are[ ]not|was[ ]not|were[ ]not|didn't
                  |doesn't|don't|did[ ]not|does[ ]not|never|won't|can't|couldn't|failed|fails
                  |alone|hasn't|haven't|has[ ]not|have[ ]not)[ ]
                (?:\w+[ ])?
                (?:enough|working|work|help|cut[ ]it|sufficient|reliable|get|got|gotten|fix
                  |transfer|carry[ ]over
                  |do[ ]it|stick|hold|held|solve|nail|nailed|keep|kept|match|capture)
                # "even with a long system prompt", "despite few-shot examples"
              | even[ ]with[ ](?:\w+[ ]){0,3}?"""
            + _PROMPT
            + r"""
              | despite[ ](?:\w+[ ]){0,3}?"""
            + _PROMPT
            + r"""
                # "it keeps drifting"
                # (a person who keeps missing something is the task, not the model)
              | (?<!player[ ])(?<!players[ ])(?<!user[ ])(?<!users[ ])(?<!student[ ])
                (?<!students[ ])(?<!customer[ ])(?<!customers[ ])(?<!he[ ])(?<!she[ ])
                (?<!someone[ ])(?<!people[ ])(?<!we[ ])(?<!i[ ])
                keeps?[ ](?:breaking|failing|drifting|ignoring|forgetting|losing|missing
                  |getting[ ]it[ ]wrong)
                # "the prompt works 80% of the time"
              | prompt\w*[ ](?:\w+[ ])?(?:works|gets[ ]it[ ]right|is[ ]right|succeeds|is[ ]correct)
                [ ](?:\w+[ ]){0,2}\d+[ ]?%[ ]of[ ]the[ ]time
                # "accuracy dropped a lot with the few-shot prompt", "quality plateaued using
                # prompts"
              | (?:accuracy|quality|performance|results?|scores?|f1|precision|recall)[ ]
                (?:[\w-]+[ ]){0,6}?
                (?:dropped|drops|fell|falls|plateau\w*|stall\w*|stuck|degrad\w*|tanked
                  |collapsed|(?:tops|topped|maxes|maxed)[ ]out)
                [ ](?:[\w%.-]+[ ]){0,4}?(?:with|using|from|on)[ ](?:[\w-]+[ ]){0,3}?"""
            + _PROMPT
            + r"""
                # prompting has hit its limit
              | exhausted[ ](?:\w+[ ]){0,2}prompt\w*
              | prompt\w*[ ](?:has[ ]|have[ ])?(?:hit|reached)[ ]
                (?:a[ ]|its[ ]|the[ ])?(?:wall|limit|ceiling)
              | beyond[ ]what[ ](?:a[ ])?prompt\w*[ ]can | no[ ]amount[ ]of[ ]prompt\w*
                # "system prompt hardening only goes so far"
              | prompt\w*[ ](?:[\w-]+[ ]){0,2}?only[ ](?:goes|went|gets[ ]us|got[ ]us|takes[ ]us
                  |took[ ]us)[ ]so[ ]far
            )
            """,
            1.2,
            scope="none",
        ),
        _r(
            "prompting.not-tried-yet",
            "Nothing tried yet: 'haven't tried anything', 'just getting started', 'straight to"
            " fine-tuning'.",
            r"""
            \b(?P<h>
                # "haven't really tried anything"
                (?:haven't|have[ ]not|didn't|did[ ]not|never|not[ ]yet|yet[ ]to)[ ](?:\w+[ ])?
                (?:tried|tested|started|experimented|built|done|looked[ ]at)[ ]
                (?:anything|it|much|a[ ]thing|yet|with)
              | haven't[ ](?:\w+[ ])?started
              | just[ ](?:starting|started|getting[ ]started)
                # jumping straight to fine-tuning
              | straight[ ]to[ ]fine-?tun\w*
              | jump(?:ing)?[ ](?:straight[ ])?(?:in)?to[ ]fine-?tun\w*
              | not[ ]sure[ ](?:if[ ]|whether[ ])?(?:a[ ])?(?:better[ ])?prompt\w*
            )
            """,
            1.2,
            polarity=-1,
            scope="none",
        ),
        _r(
            "prompting.prompt-may-suffice",
            "Prompting barely tried or maybe enough: 'only played with it', 'would a better"
            " prompt do?'.",
            r"""
            \b(?P<h>
                # "only briefly tried"
                (?:only|barely|briefly|just)[ ](?:\w+[ ])?
                (?:played|tried|tested|experimented|used|poked)\w*
                # "would a good system prompt be enough"
              | (?:is|would|could|might|will)[ ](?:a[ ]|an[ ])?
                (?:good[ ]|better[ ]|simple[ ]|proper[ ]|well-written[ ]|few-shot[ ]|clear[ ])*
                (?:system[ ])?prompt(?:ing)?[ ](?:be[ ])?
                (?:enough|sufficient|do[ ](?:it|this|the[ ]job))
                # "could a better prompt handle"
              | (?:could|can|would)[ ](?:a[ ]|an[ ])?(?:good[ ]|better[ ]|simple[ ]|few-shot[ ])?
                (?:system[ ])?prompt(?:ing)?[ ](?:do|handle|solve|fix)
                # "prompting might be enough"
              | prompt(?:ing|s)?[ ](?:might|may|could|would|will|should)[ ](?:be[ ])?
                (?:enough|sufficient|do[ ](?:it|this|the[ ]job)|work)
            )
            """,
            1.0,
            polarity=-1,
            scope="none",
        ),
        _r(
            "stage.try-the-idea",
            "Testing an idea: 'test the idea', 'try it out', 'see if people like it', trial run.",
            r"""
            \b(?P<h>
                test[ ]the[ ]idea | try[ ]it[ ]out | trying[ ]it[ ]out
              | see[ ]if[ ](?:it[ ]works|people[ ]like[ ]it|it[ ]helps)
              | validate[ ]the[ ]idea | proof[ ]of[ ]value | trial[ ]run
            )\b
            """,
            1.0,
        ),
        _r(
            "stage.prototype",
            "An early or experimental project: prototype, PoC, hackathon, MVP, demo, just playing.",
            r"""
            \b(?P<h>
                # prototypes and experiments
                # (not "we prototyped with", "our current prototype": something built and tried)
                # (nor "update after the first prototype": one already built)
                (?<!current[ ])(?<!existing[ ])(?<!after[ ]the[ ])(?<!after[ ]our[ ])
                (?<!after[ ]the[ ]first[ ])(?<!after[ ]our[ ]first[ ])
                prototyp(?!ed\b)\w*
                (?!(?:\s+\S+){0,6}?\s+(?:worked|works|showed|proved|did[ ]well|went[ ]well))
              | poc | proof[- ]of[- ]concept | hackathon | hack[ ](?:day|week)
              | mvp | demo | side[ ]project | weekend[ ]project | spike
              | experiment(?:ing|al)? | exploring | exploration | toy | playground
                # not people exploring the data: "then let managers explore"
              | (?<!managers[ ])(?<!users[ ])(?<!people[ ])(?<!them[ ])(?<!analysts[ ])explore
              | sandbox | quick[ ](?:win|test|experiment|prototype)
                # early days
              | early[ ](?:stage|days|prototype) | first[ ](?:version|iteration|pass) | v0
              | just[ ](?:playing|testing|trying|messing) | for[ ]fun | tinker\w*
                # new to it all
              | first[ ]time | new[ ]to[ ](?:llms|ai|genai|this)
              | never[ ]used[ ](?:llms|ai|gpt\S*|chatgpt)
            )\b
            """,
            1.2,
        ),
        _r(
            "stage.pilot",
            "The word pilot.",
            r"""
            \b(?P<h> pilot )\b
            """,
            0.7,
        ),
        _r(
            "stage.production",
            "Production use (counts against prompt-first): in production, customer-facing, SLAs.",
            r"""
            \b(?P<h>
                in[ ]production
              | production[- ](?:grade|ready|system|traffic|workload|use)
              | to[ ]production | for[ ]production | prod[ ]traffic
              | enterprise[- ](?:wide|grade|scale) | customer[- ]facing | mission[- ]critical
              | slas?
            )\b
            """,
            0.8,
            polarity=-1,
            neg_strength=0.6,
        ),
        _r(
            "scale.high-volume",
            "High volume in words: at scale, millions of requests, high throughput.",
            r"""
            \b(?P<h>
                at[ ]scale
                # "millions of support tickets"
              | millions[ ]of[ ](?:\w+[ ])?
                (?:queries|requests|users|calls|tickets|documents|messages|transactions
                  |invoices|emails|records|conversations|items|predictions)
              | high[- ](?:volume|throughput|traffic) | massive[ ](?:volume|scale|traffic)
              | huge[ ]volume
            )\b
            """,
            0.8,
        ),
        _r(
            "scale.small-scale",
            "Small scale in words: a small team, a few users, low volume, a one-off tool.",
            r"""
            \b(?P<h>
                small[ ](?:team|scale|volume|number[ ]of[ ](?:users|requests|queries))
                # "a handful of users per week"
              | (?:a[ ])?(?:few|handful[ ]of|couple[ ]of|dozen)[ ]
                (?:users|people|colleagues|teammates|requests|queries|questions|emails
                  |tickets)
                (?:[ ](?:a|per)[ ](?:day|week|month))?
                # a tool for one team
              | just[ ](?:our|my|the)[ ]team
              | (?:internal[ ])?tool[ ]for[ ](?:our|my|the|a)[ ](?:small[ ])?team
              | low[ ](?:volume|traffic) | one-off | ad[- ]hoc | low[- ]stakes | nothing[ ]fancy
              | small[ ](?:internal[ ])?(?:tool|app|script|bot|project|use[ ]case|utility)
            )\b
            """,
            0.6,
            polarity=-1,
            scope="none",
        ),
        _r(
            "general.generic-task",
            "A general-purpose task: summarise, draft emails, rewrite, translate, brainstorm,"
            " trivia.",
            r"""
            \b(?P<h>
                # summarising and drafting
                summari[sz]\w* | tl;?dr
              | (?:write|draft|generat|produc)\w*[ ](?:the[ ]|a[ ]|an[ ])?(?:[\w-]+[ ])?
                summar(?:y|ies)
              | draft(?:ing|s)?[ ](?:\w+[ ])?
                (?:emails?|replies|responses|posts|messages|copy|notes|letters)
              | writ\w*[ ](?:\w+[ ]){0,2}
                (?:emails?|blog[ ]posts?|posts|copy|tweets|descriptions|cover[ ]letters
                  |haikus?|poems?|stories|jokes|messages|greetings|cards|captions|slogans
                  |taglines|bios|invitations|announcements)
                # editing text
              | reformat\w* | tidy[ ]up | clean[ ]up[ ](?:\w+[ ])?(?:notes|text|writing)
                # not people redoing the model's work: "staff still rewrite them"
              | (?<!still[ ])(?<!stop[ ])(?<!to[ ])(?<!always[ ])(?<!manually[ ])rewrit\w*
              | rephras\w* | paraphras\w* | proofread\w* | grammar
              | spell[- ]?check\w* | translat\w* | brainstorm\w* | generate[ ]ideas
              | idea[ ]generation
                # general knowledge and chat
              | general[- ](?:purpose|knowledge|questions|q&a|chat|assistant)
              | generic[ ](?:questions|tasks|assistant|chatbot)
              | public(?:ly[ ]available)?[ ](?:info\w*|knowledge|data|facts)
              | common[ ]knowledge | well[- ]known | trivia | chit[- ]?chat | small[ ]talk
              | haikus? | poems? | (?<!inside[ ])jokes | fun[ ]facts
                # explaining and coding help
              | explain[ ](?:\w+[ ]){0,2}(?:concepts|code|errors|topics) | answer[ ]general
              | everyday[ ](?:questions|tasks) | coding[ ](?:help|questions)
              | help[ ](?:us[ ]|me[ ])?write
            )\b
            """,
            1.0,
        ),
        _r(
            "general.tone-tweak",
            "An instruction a prompt can carry: 'too long', 'a bit more casual', 'stay on"
            " topic', guardrails.",
            r"""
            \b(?P<h>
                # length and tone tweaks
                too[ ](?:long|verbose|wordy|short|formal|informal|casual|stiff|technical
                  |robotic)"""
            + INPUT_TOO_LONG
            + r"""
              | (?:shorter|longer|friendlier|more[ ]concise|less[ ]formal|more[ ]formal
                  |less[ ]verbose)(?:[ ](?:answers|replies|responses|output))?
              | (?:a[ ]bit[ ]|slightly[ ]|bit[ ])?(?:more|less)[ ]
                (?:casual|formal|friendly|playful|professional|concise|polite|warm|empathetic
                  |direct|detailed)
                # standing instructions and guardrails
              | always[ ](?:answer|respond|reply)[ ](?:in|with)[ ]\w+
              | refuse[ ](?:\w+[ ])?(?:off-topic|questions|requests) | stay[ ]on[ ]topic
              | off-topic[ ](?:questions|requests) | never[ ](?:give|provide|offer)[ ]\w+[ ]advice
              | always[ ]escalate | escalate[ ]to[ ](?:a|an)[ ](?:human|agent)
              | hand[ ](?:it[ ])?off[ ]to[ ]a[ ]human
                # not a detector to build: "a guardrail that catches ..."
              | guardrails?\b(?!"""
            + _CATCHES
            + r""")
            )
            """,
            0.9,
        ),
        _r(
            "general.simple-task",
            "A task called simple: 'a simple task', 'a straightforward use case'.",
            r"""
            \b(?P<h>
                simple[ ](?:task|use[ ]case|job|thing)
              | straightforward[ ](?:task|use[ ]case)
                # "it's only four fields"
              | only[ ](?:a[ ]few|one|two|three|four|five|six|\d)[ ]
                (?:fields|labels|categories|values|questions|classes)
            )\b
            """,
            1.0,
        ),
        _r(
            "base_ok.model-does-fine",
            "The model already does well: 'GPT-4 already does fine', 'it's good enough'.",
            r"""
            \b(?P<h>
                # "the base model already does pretty well"
                (?:the[ ]model | it | """
            + CHAT_MODELS
            + r""" | the[ ]base[ ]model)[ ](?:already[ ])?
                (?:does|works|performs|is[ ]doing)[ ]
                (?:fine|ok|okay|well|great|pretty[ ]well|decently)
                # "claude is already good enough"
              | (?:"""
            + CHAT_MODELS
            + r""" | the[ ](?:base[ ])?model | it)[ ]is[ ](?:already[ ])?
                (?:good[ ]enough|pretty[ ]good|decent|fine)
            )\b
            """,
            1.1,
            scope="none",
        ),
        _r(
            "base_ok.works-out-of-box",
            "A stock model mostly works: 'the base model handles it', 'works fine out of the box'.",
            r"""
            \b(?P<h>
                # "the off-the-shelf model already handles"
                (?:base|off-the-shelf|stock|vanilla|default|out-of-the-box|standard)[ ]
                (?:model|llm|gpt\S*|claude)s?[ ](?:already[ ]|mostly[ ]|usually[ ]|generally[ ])?
                (?:does|handles|works|gets|knows)
                # "works well out of the box", "did fine with a simple prompt"
              | (?:works|worked|does|did)[ ](?:\w+[ ])?(?:well|fine|ok|okay|decently)[ ]
                (?:out[ ]of[ ]the[ ]box
                  |with[ ](?:"""
            + CHAT_MODELS
            + r""" | the[ ]base[ ]model | a[ ](?:simple[ ]|basic[ ])?prompt))
              | (?:mostly|almost|nearly)[ ](?:works|there|good)
                # "gpt-4 already nails"
              | (?:"""
            + CHAT_MODELS
            + r""" | llama | the[ ](?:base[ ])?model | it)[ ]
                (?:already|mostly|usually|generally)(?:[ ]\w+)?[ ]
                (?:handles|does|gets|works|knows|nails)
            )\b
            """,
            1.2,
            scope="none",
        ),
    )


def tool_rules() -> tuple[Rule, ...]:
    return (
        _r(
            "tool_ft.fine-tuning",
            "Fine-tuning named as the tool: fine-tune, LoRA, SFT, train our own model.",
            r"""
            \b(?P<h>
                fine[- ]?tun\w* | finetun\w* | ft | lora | qlora | peft | sft
                # "train our own small model"
              | (?:re)?train(?:ing)?[ ](?:our[ ]own[ ]|a[ ]|an[ ]|the[ ]|our[ ])?
                (?:custom[ ]|own[ ]|small[ ]|smaller[ ])?(?:model|llm)
              | custom(?:-trained)?[ ]model
            )\b
            """,
            1.0,
        ),
        _r(
            "tool_rag.retrieval",
            "Retrieval named as the tool: RAG, vector DB, embeddings, semantic search, Pinecone.",
            r"""
            \b(?P<h>
                rag | retrieval(?:[- ]augmented)? | vector[ ](?:db|database|store|search|index)
              | embeddings? | semantic[ ]search
                # vector stores and frameworks
              | pinecone | weaviate | qdrant | chroma | pgvector | elasticsearch | opensearch
              | llamaindex
            )\b
            """,
            1.0,
        ),
        _r(
            "has_rag.already-retrieval",
            "Retrieval already in place: 'we already use RAG', 'search already works'.",
            r"""
            # "we already have a vector search"
            \b(?:already|currently)[ ](?:\w+[ ])?
            (?P<h>
                (?:use|using|have|run|running|built|do|doing)[ ](?:a[ ]|an[ ]|our[ ])?
                (?:rag|retrieval|vector[ ](?:db|search|store)|semantic[ ]search)
            )
            # "retrieval is working"
          | \b(?P<h2>retrieval|rag|search)[ ](?:already[ ])?
            (?:works|is[ ]working|is[ ]fine|is[ ]good)
            """,
            1.0,
            scope="none",
        ),
        _r(
            "tool_pe.prompting",
            "Prompt engineering named as the tool: prompting, system prompt, few-shot.",
            r"""
            \b(?P<h>
                prompt[ ]engineering | prompting | system[ ]prompts? | few[- ]shot
              | better[ ]prompts?
            )\b
            """,
            1.0,
        ),
    )
