"""Rules for behaviour needs, prompt-first signs and the tool a user has in mind."""

from __future__ import annotations

from bot.core.triage.lexicon.base import Rule
from bot.core.triage.lexicon.base import rule as _r


def behaviour_rules() -> tuple[Rule, ...]:
    return (
        _r(
            "format",
            r"\b(?P<h>json schema|schema|templates?|(?:fixed|strict|rigid|exact) (?:[\w-]+ )?"
            r"(?:format|structure|layout|template|sections|schema|output)"
            r"|specific (?:output )?(?:format|structure|layout)|output format|response format"
            r"|report format|house format|structured (?:output|outputs|responses?|json|data"
            r"|reports?|format)|consistent (?:json |xml |yaml )?(?:format|formatting|structure"
            r"|output|outputs|layout"
            r"|sections|fields)|same (?:format|structure|sections|layout|template) every time"
            r"|markdown tables?|form fields|valid json|parseable|machine-readable|well-formed"
            r"|required (?:format|structure|sections|template|layout|fields))\b",
            1.3,
        ),
        _r(
            "format",
            r"\b(?:output|respond|return|emit|produce|generat|reply|replies|answer|write)\w*"
            r" (?:\w+ ){0,3}?(?P<h>json|xml|yaml|csv|a table|tables|bullet points|format\w*)\b"
            r"|\b(?P<h2>(?:our|a|the|their|this|that) (?:\w+ )?format|formatting|json|xml|yaml)\b",
            0.9,
        ),
        _r(
            "format",
            r"\b(?P<h>(?:format\w*|output\w*|structure|responses?|json)(?: structure| format)?"
            r" (?:varies|vary|drifts?|changes? (?:every|each) time)|(?:format\w*|output\w*"
            r"|structure|responses?|json) (?:is|are|keeps? being"
            r"|comes out|varies|vary|gets?) (?:\w+ )?(?:inconsistent|all over the place"
            r"|unreliable|broken|wrong|messy|invalid)|inconsistent (?:format\w*|output\w*"
            r"|structure|responses?|json)|breaks? (?:the |our )?(?:json|schema|format|parser))",
            1.3,
            scope="none",
        ),
        _r(
            "style",
            r"\b(?P<h>brand (?:voice|tone|style|guidelines?|personality)|house style"
            r"|style ?guides?|on[- ]brand|(?:our|the company's|company|their|a consistent)"
            r" (?:own )?(?:voice|tone|writing style|register|personality)|tone of voice"
            r"|writing style|sound(?:s|ing)? (?:like|more like) (?:us|our|a|an|the|me|him|her"
            r"|them|\w+'s)|write (?:like|in the style of)|mimic\w*|imitat\w*|persona|in character"
            r"|break(?:s|ing)? character|out of character)\b",
            1.3,
        ),
        _r(
            "style",
            r"\b(?P<h>tone|tonality|register|voice)\b(?!\s+(?:assistant|bot|"
            r"interface|agent|calls?|commands?|recognition|input|notes?|memos?|channel|search"
            r"|app|ui|mode))",
            1.0,
        ),
        _r(
            "style",
            r"\b(?P<h>friendly|formal|informal|casual|playful|witty|empathetic|polite|warm"
            r"|upbeat|cheerful|professional|snarky|humorous|folksy|plain-english)"
            r" (?:tone|voice|style|replies|responses|answers|emails|way|manner|copy|language"
            r"|register)\b|\b(?P<h2>style)\b(?! transfer| sheet| code)",
            0.8,
        ),
        _r(
            "format",
            r"\b(?P<h>(?:same|standard|standardi[sz]ed|uniform|predefined|prescribed|mandated"
            r"|agreed|approved|house|required|fixed) (?:[\w-]+ )?(?:structure|layout|format"
            r"|sections|template|outline)|follow\w* (?:our|the|a|their) (?:[\w-]+ ){0,2}(?:layout"
            r"|structure|format|template|outline)|(?:our|their|the|a) (?:[\w-]+ ){1,2}format"
            r"|(?:an?|the) [\w-]+ section(?:,| and)|sections? (?:for|with) (?:the )?\w+)\b",
            1.2,
        ),
        _r(
            "style",
            r"\b(?P<h>sound(?:s|ing)? (?:like|as if|as though)|(?:the way|how) (?:our |we |they "
            r"|the )(?:[\w-]+ ){0,3}(?:write|writes|speak|speaks|talk|talks|sound|sounds)"
            r"|(?:writing|style|editorial|brand|tone|voice|communication) (?:guidelines|rules"
            r"|standards|conventions)|(?:our|their|the) [\w']+ (?:voice|tone|writing style)"
            r"|(?:very |a )?(?:specific|particular|certain|exact) (?:way|manner|style) of"
            r" (?:writing|speaking|answering)|answer in a (?:very )?(?:specific|particular"
            r"|certain) way)\b",
            1.2,
        ),
        _r(
            "style",
            r"\b(?P<h>british english|american english|uk english|us english"
            r"|spelling conventions)\b",
            0.8,
        ),
        _r(
            "jargon",
            r"\b(?P<h>wrong (?:[\w-]+ )?(?:terms|terminology|words|jargon|abbreviations|codes)"
            r"|(?:medical|legal|technical|clinical|domain|industry|engineering|financial|scientific"
            r"|trade) terms|glossary(?: terms)?)\b",
            1.1,
        ),
        _r(
            "jargon",
            r"\b(?P<h>jargon|terminology|terminologies|vocabulary|lingo|acronyms|abbreviations"
            r"|technical terms|domain[- ]specific (?:language|terms|vocabulary|wording)"
            r"|domain (?:language|terms|vocabulary)|legalese|medical coding|icd-?10|icd codes"
            r"|cpt codes|snomed|clinical (?:language|terminology|shorthand)|shorthand"
            r"|specialized (?:\w+ )?(?:language|terms|vocabulary)|specialised (?:\w+ )?"
            r"(?:language|terms|vocabulary)|industry[- ]specific (?:language|terms))\b",
            1.2,
        ),
        _r(
            "skill",
            r"\b(?P<h>classif\w*|categori[sz]\w*|categories|tag(?:s|ging)? (?:each|every|the"
            r"|incoming|our"
            r"|tickets|emails|documents|messages|reviews|them|it)|routing|route (?:[\w-]+ ){0,3}"
            r"(?:tickets|emails|requests|messages|calls)|triag\w* (?:incoming )?(?:tickets|emails"
            r"|requests|messages|cases)|extract\w*|pars(?:e|ing) (?:\w+ )?(?:invoices|forms"
            r"|resumes|receipts|documents|contracts|emails)|named entit\w*|ner|sentiment"
            r"|intent (?:detection|classification|recognition)|label(?:l)?ing (?:incoming|each"
            r"|every|the|our|tickets|emails|documents|messages|reviews)|entity (?:extraction"
            r"|resolution|linking)|fill(?:ing)? (?:in )?(?:forms|fields)|text[- ]to[- ]sql"
            r"|generat\w* sql|writ\w* sql|sql (?:queries )?from (?:natural language|questions)"
            r"|sql generation|code review comments|moderation|spam detection|scoring)\b",
            1.0,
        ),
        _r(
            "latency",
            r"\b(?P<h>latency|low[- ]latency|response times?|fast(?:er)? (?:inference|responses?"
            r"|answers|replies)|sub[- ]second|real[- ]?time (?:responses?|inference|completions?"
            r"|suggestions?|autocomplete|classification|scoring|moderation)|autocomplete"
            r"|on[- ]device|on the device|edge devices?|run(?:s|ning)? (?:it )?(?:locally|offline"
            r"|on (?:a )?(?:laptop|phone|cpu|edge|device))|offline (?:mode|inference))\b",
            1.2,
        ),
        _r(
            "latency",
            r"\b(?P<h>cost per (?:query|request|call|token|ticket|document|1k|thousand)"
            r"|per[- ](?:query|request|token|call) costs?|inference (?:cost|bill|spend)s?"
            r"|token (?:cost|bill|spend|budget)s?|api (?:bill|costs?|spend)|cheaper than (?:gpt\S*"
            r"|claude|openai|the (?:big|large|current) model)|(?:gpt-?4o?|the large"
            r" model|the big model|a large model|frontier models?|openai|claude)\S* (?:is |are "
            r"|gets |was )?(?:too |very |really )?(?:expensive|costly|slow|pricey)|too (?:expensive"
            r"|costly|slow|pricey)(?: and (?:slow|expensive|costly))?|(?:cut|reduce|lower)\w*"
            r" (?:our |the )?(?:\w+ )?"
            r"(?:costs?|spend|bill)|cheaper (?:to run|to serve|per query|model|inference)"
            r"|small(?:er)?(?:,? (?:faster|cheaper))? (?:open |local |open-source |open-weight )?"
            r"models?|cheap(?:er)? (?:and fast(?:er)? )?models?)\b",
            1.2,
        ),
        _r(
            "distill",
            r"\b(?P<h>distil\w*|teacher[- ]student|student model|(?:match|mimic|replicate|imitate"
            r"|copy|approach)\w* (?:the )?(?:quality|performance|outputs?|behaviou?r|results) of"
            r" (?:gpt|a (?:larger|bigger|frontier) model|the (?:large|big|bigger|larger) model"
            r"|claude|o1|o3)|outputs? (?:of|from) (?:gpt\S*|claude|a larger model|the big model)"
            r" as training data|replace (?:gpt\S*|the (?:large|big) model|claude|an? (?:expensive"
            r"|large|frontier) model) with (?:a |an )?(?:small|smaller|cheaper|open|local|\d+b))",
            1.5,
        ),
        _r(
            "examples",
            r"\b(?P<h>(?:model|it) (?:to |can |could |should )?learn from|labell?ed|annotated"
            r"|hand-labell?ed|human-labell?ed|gold(?:en)? (?:set|data"
            r"|examples|labels)|training (?:data|set|examples|pairs)|input[- ]output pairs"
            r"|examples of (?:good|ideal|correct|desired|approved)|(?:years|archive) of "
            r"(?:labell?ed|annotated|approved|historical|curated)|(?:lots|plenty|tons|loads"
            r"|a lot) of (?:\w+ )?(?:examples|pairs|samples))\b",
            0.9,
        ),
        _r(
            "examples",
            r"\b(?P<h>(?:don't|do not|doesn't|haven't|have not|have no|without|lack|lacking)"
            r" (?:\w+ )?(?:much|enough|any|a lot of|sufficient) (?:\w+ )?(?:data|examples"
            r"|training data))\b",
            0.8,
            polarity=-1,
            scope="none",
        ),
        _r(
            "behaviour_gap",
            r"\b(?P<h>ignores? (?:our |the |my )?(?:[\w-]+ )?(?:instructions|rules|guidelines"
            r"|constraints"
            r"|system prompt)|(?:doesn't|don't|does not|do not|won't|never) (?:reliably "
            r"|consistently |always )?follow (?:our |the )?(?:instructions|rules|guidelines"
            r"|format|template|schema|style guide)|misunderstands? (?:the )?instructions"
            r"|(?:reasoning|logic)(?: [\w']+){0,5} (?:is|are) (?:\w+ )?(?:unreliable|inconsistent"
            r"|wrong|flaky)|skips? (?:steps|sections|fields|parts)|unreliable reasoning"
            r"|inconsistent (?:answers|behaviou?r|results|quality)"
            r"|(?:responses|answers|outputs?) (?:vary|varies|are inconsistent|are all over the"
            r" place)|same way every time|behaves? (?:consistently|the same way|differently))",
            1.0,
            scope="none",
        ),
    )


def prompt_rules() -> tuple[Rule, ...]:
    prompt = (
        r"(?:prompt(?:s|ing| engineering)?|system prompts?|few[- ]shot(?: examples)?"
        r"|in-context examples|examples in the prompt|instructions)"
    )
    return (
        _r(
            "prompting",
            r"\b(?P<h>tried|tested|experimented with|played (?:around )?with|iterated on|tuned"
            r"|tweaked|used|spent (?:\w+ ){1,3}on|done|did|written|wrote|built|crafted|designed)"
            r"\s+(?:\w+\s+){0,3}?" + prompt,
            0.6,
            scope="before",
            neg_strength=1.5,
        ),
        _r(
            "prompting",
            r"\b(?P<h>" + prompt + r" (?:\w+ ){0,2}?(?:isn't|aren't|wasn't|weren't|is not|are not"
            r"|was not|were not|didn't|doesn't|don't|did not|does not|never|won't|can't"
            r"|couldn't|failed|fails|alone|hasn't|haven't|has not|have not) (?:\w+ )?(?:enough"
            r"|working|work|help|cut it|sufficient|reliable|get|got|gotten|fix|do it|stick|hold"
            r"|held|solve|nail|nailed|keep|kept|match|capture)"
            r"|even with (?:\w+ ){0,3}?"
            + prompt
            + r"|despite (?:\w+ ){0,3}?"
            + prompt
            + r"|keeps? (?:breaking|failing|drifting|ignoring|forgetting|losing|missing|getting it"
            r" wrong)|prompt\w* (?:\w+ )?(?:works|gets it right|is right|succeeds|is correct)"
            r" (?:\w+ ){0,2}\d+ ?% of the time|exhausted (?:\w+ ){0,2}prompt\w*"
            r"|prompt\w* (?:has |have )?(?:hit|reached) "
            r"(?:a |its |the )?(?:wall|limit|ceiling)|beyond what (?:a )?prompt\w* can"
            r"|no amount of prompt\w*)",
            1.2,
            scope="none",
        ),
        _r(
            "prompting",
            r"\b(?P<h>(?:haven't|have not|didn't|did not|never|not yet|yet to) (?:\w+ )?"
            r"(?:tried|tested|started|experimented|built|done|looked at) (?:anything|it|much"
            r"|a thing|yet|with)|haven't (?:\w+ )?started|just (?:starting|started|getting "
            r"started)|straight to fine-?tun\w*|jump(?:ing)? (?:straight )?(?:in)?to fine-?tun\w*"
            r"|not sure (?:if |whether )?(?:a )?(?:better )?prompt\w*)",
            1.2,
            polarity=-1,
            scope="none",
        ),
        _r(
            "prompting",
            r"\b(?P<h>(?:only|barely|briefly|just) (?:\w+ )?(?:played|tried|tested|experimented"
            r"|used|poked)\w*|(?:is|would|could|might|will) (?:a |an )?(?:good |better |simple "
            r"|proper |well-written |few-shot |clear )*(?:system )?prompt(?:ing)? (?:be )?(?:enough"
            r"|sufficient|do (?:it|this|the job))|(?:could|can|would) (?:a |an )?(?:good |better "
            r"|simple |few-shot )?(?:system )?prompt(?:ing)? (?:do|handle|solve|fix)"
            r"|prompt(?:ing|s)? (?:might|may|could|would|will|should) (?:be )?(?:enough"
            r"|sufficient|do (?:it|this|the job)|work))",
            1.0,
            polarity=-1,
            scope="none",
        ),
        _r(
            "stage",
            r"\b(?P<h>test the idea|try it out|trying it out|see if (?:it works|people like it"
            r"|it helps)|validate the idea|proof of value|trial run)\b",
            1.0,
        ),
        _r(
            "stage",
            r"\b(?P<h>prototyp\w*|poc|proof[- ]of[- ]concept|hackathon|hack (?:day|week)|mvp"
            r"|demo|side project|weekend project|spike|experiment(?:ing|al)?|exploring|explore"
            r"|exploration|toy|playground|sandbox|quick (?:win|test|experiment|prototype)"
            r"|early (?:stage|days|prototype)|first (?:version|iteration|pass)|v0"
            r"|just (?:playing|testing|trying|messing)|for fun|tinker\w*|first time|new to"
            r" (?:llms|ai|genai|this)|never used (?:llms|ai|gpt\S*|chatgpt))\b",
            1.2,
        ),
        _r("stage", r"\b(?P<h>pilot)\b", 0.7),
        _r(
            "stage",
            r"\b(?P<h>in production|production[- ](?:grade|ready|system|traffic|workload|use)"
            r"|to production|for production|prod traffic|enterprise[- ](?:wide|grade|scale)"
            r"|customer[- ]facing|mission[- ]critical|slas?)\b",
            0.8,
            polarity=-1,
            neg_strength=0.6,
        ),
        _r(
            "scale",
            r"\b(?P<h>at scale|millions of (?:\w+ )?(?:queries|requests|users|calls|tickets"
            r"|documents|messages|transactions|invoices|emails|records|conversations|items"
            r"|predictions)|high[- ](?:volume|throughput|traffic)|massive (?:volume|scale"
            r"|traffic)|huge volume)\b",
            0.8,
        ),
        _r(
            "scale",
            r"\b(?P<h>small (?:team|scale|volume|number of (?:users|requests|queries))"
            r"|(?:a )?(?:few|handful of|couple of|dozen) (?:users|people|colleagues|teammates"
            r"|requests|queries|questions|emails|tickets)(?: (?:a|per) (?:day|week|month))?"
            r"|just (?:our|my|the) team|(?:internal )?tool for (?:our|my|the|a) (?:small )?team"
            r"|low (?:volume|traffic)|one-off|ad[- ]hoc|low[- ]stakes|nothing fancy"
            r"|small (?:internal )?(?:tool|app|script|bot|project|use case|utility))\b",
            0.6,
            polarity=-1,
            scope="none",
        ),
        _r(
            "general",
            r"\b(?P<h>summari[sz]\w*|tl;?dr|draft(?:ing|s)? (?:\w+ )?(?:emails?|replies|responses"
            r"|posts|messages|copy|notes|letters)|writ\w* (?:\w+ ){0,2}(?:emails?|blog posts?"
            r"|posts|copy|tweets|descriptions|cover letters|haikus?|poems?|stories|jokes|messages"
            r"|greetings|cards|captions|slogans|taglines|bios|invitations|announcements)"
            r"|reformat\w*|tidy up|clean up (?:\w+ )?(?:notes|text|writing)"
            r"|rewrit\w*|rephras\w*|paraphras\w*|proofread\w*|grammar|spell[- ]?check\w*"
            r"|translat\w*|brainstorm\w*|generate ideas|idea generation|general[- ](?:purpose"
            r"|knowledge|questions|q&a|chat|assistant)|generic (?:questions|tasks|assistant"
            r"|chatbot)|public(?:ly available)? (?:info\w*|knowledge|data|facts)|common "
            r"knowledge|well[- ]known|trivia|chit[- ]?chat|small talk|haikus?|poems?|jokes"
            r"|fun facts|explain (?:\w+ ){0,2}(?:concepts|code|errors|topics)|answer general"
            r"|everyday (?:questions|tasks)|coding (?:help|questions)|help (?:us |me )?write)\b",
            1.0,
        ),
        _r(
            "general",
            r"\b(?P<h>too (?:long|verbose|wordy|short|formal|informal|casual|stiff|technical"
            r"|robotic)|(?:shorter|longer|friendlier|more concise|less formal|more formal|less "
            r"verbose)(?: (?:answers|replies|responses|output))?|(?:a bit |slightly |bit )?(?:more"
            r"|less) (?:casual|formal|friendly|playful|professional|concise|polite|warm|empathetic"
            r"|direct|detailed)|always (?:answer|respond|reply)"
            r" (?:in|with) \w+|refuse (?:\w+ )?(?:off-topic|questions|requests)|stay on topic"
            r"|off-topic (?:questions|requests)|never (?:give|provide|offer) \w+ advice"
            r"|always escalate|escalate to (?:a|an) (?:human|agent)|hand (?:it )?off to a human"
            r"|guardrails?)",
            0.9,
        ),
        _r(
            "general",
            r"\b(?P<h>simple (?:task|use case|job|thing)|straightforward (?:task|use case))\b",
            1.0,
        ),
        _r(
            "base_ok",
            r"\b(?P<h>(?:the model|it|gpt\S*|chatgpt|claude|the base model) (?:already )?(?:does"
            r"|works|performs|is doing) (?:fine|ok|okay|well|great|pretty well|decently)"
            r"|(?:gpt\S*|chatgpt|claude|the (?:base )?model|it) is (?:already )?(?:good enough"
            r"|pretty good|decent|fine))\b",
            1.1,
            scope="none",
        ),
        _r(
            "base_ok",
            r"\b(?P<h>(?:base|off-the-shelf|stock|vanilla|default|out-of-the-box|standard)"
            r" (?:model|llm|gpt\S*|claude)s? (?:already |mostly |usually |generally )?(?:does"
            r"|handles|works|gets|knows)|(?:works|worked|does|did) (?:\w+ )?(?:well|fine|ok"
            r"|okay|decently) (?:out of the box|with (?:chatgpt|gpt\S*|claude|the base model"
            r"|a (?:simple |basic )?prompt))|(?:mostly|almost|nearly) (?:works|there|good)"
            r"|(?:gpt\S*|chatgpt|claude|llama|the (?:base )?model|it) (?:already|mostly|usually"
            r"|generally)(?: \w+)? (?:handles|does|gets|works|knows|nails))\b",
            1.2,
            scope="none",
        ),
    )


def tool_rules() -> tuple[Rule, ...]:
    return (
        _r(
            "tool_ft",
            r"\b(?P<h>fine[- ]?tun\w*|finetun\w*|ft|lora|qlora|peft|sft|(?:re)?train(?:ing)?"
            r" (?:our own |a |an |the |our )?(?:custom |own |small |smaller )?(?:model|llm)"
            r"|custom(?:-trained)? model)\b",
            1.0,
        ),
        _r(
            "tool_rag",
            r"\b(?P<h>rag|retrieval(?:[- ]augmented)?|vector (?:db|database|store|search|index)"
            r"|embeddings?|semantic search|pinecone|weaviate|qdrant|chroma|pgvector"
            r"|elasticsearch|opensearch|llamaindex)\b",
            1.0,
        ),
        _r(
            "has_rag",
            r"\b(?:already|currently) (?:\w+ )?(?P<h>(?:use|using|have|run|running|built|do|doing)"
            r" (?:a |an |our )?(?:rag|retrieval|vector (?:db|search|store)|semantic search))"
            r"|\b(?P<h2>retrieval|rag|search) (?:already )?(?:works|is working|is fine|is good)",
            1.0,
            scope="none",
        ),
        _r(
            "tool_pe",
            r"\b(?P<h>prompt engineering|prompting|system prompts?|few[- ]shot|better prompts?)\b",
            1.0,
        ),
    )
