"""From a briefing's text to draft statement records (`briefing draft`).

One job per module: `sentences` cuts the text into sentences and finds what stands between
quotation marks, `quotes` tells a quote from an outlet's name, `dates` resolves the day a
sentence names against the briefing's date, `speakers` finds who speaks in a sentence and
matches them to actor records, `segmenting` groups the sentences into statements, and
`writing` turns each statement into a draft record's YAML. Every choice these heuristics
are unsure of is left in the draft as a `TODO` for the editor.
"""
