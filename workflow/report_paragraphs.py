"""The committee report's numbered paragraphs and the references to them.

As in the 2007 report, the paragraphs of "B. Supporting information" are numbered
through the report (1, 2, ... 37), and a recommendation cites them: "paragraphs
4 - 35". A text cites a paragraph by its key, `{para:KEY}`, and the reference is
replaced by the paragraph's number when the report is written out, so it stays right
when paragraphs are added, removed or moved. The keys:

- `background-1`, `background-2`, ...: the paragraphs of the background text;
- `traffic-lights`: the paragraph explaining the statuses;
- `objective-N-evidence`, `objective-N-key-outcomes`, `objective-N-improvements`: the
  paragraphs of strategic objective N's section (`objective-N` is its first);
- `aims-comment`, `action-required`, `standard-steps`, `future-objectives`.

Pure: no Flask, no store.
"""
import re

REFERENCE = re.compile(r"\{para:([^{}\s]{1,60})\}")
SECTION_PARAS = (("evidence", "Evidence"), ("key_outcomes", "Key Outcomes"), ("improvements", "Areas for Improvement"))
CLOSING_PARAS = (("aims_comment", "aims-comment", "Comment"), ("action_required", "action-required", "Action Required"),
                 ("standard_steps", "standard-steps", None))
FUTURE = ("future_objectives", "future-objectives")
TRAFFIC_LIGHTS = "traffic-lights"
_LIST_ITEM = re.compile(r"\s*(?:[-*+]|[0-9]+[.)])\s")
_OBJECTIVE = re.compile(r"(objective-[0-9]+)-")


def split(text):
    """Markdown text as its paragraphs (blank lines between), a list staying with the paragraph it follows."""
    out = []
    for chunk in re.split(r"\n[ \t]*\n", text or ""):
        if not chunk.strip():
            continue
        if out and _LIST_ITEM.match(chunk):
            out[-1] += "\n\n" + chunk.strip("\n")
        else:
            out.append(chunk.strip("\n"))
    return out


def section_key(number, key):
    return f"objective-{number}-{key.replace('_', '-')}"


def para(key, text, label=None):
    """A numbered paragraph block (blocks() in workflow.reports); numbered by number_through()."""
    return {"type": "para", "key": key, "label": label, "text": text}


def known_keys(fields):
    """Every key a reference in the report `fields` may cite."""
    keys = {f"background-{i}" for i in range(1, len(split(fields.get("background"))) + 1)}
    keys |= {TRAFFIC_LIGHTS, FUTURE[1], *(key for _, key, _ in CLOSING_PARAS)}
    for s in fields.get("sections") or []:
        if isinstance(s, dict):
            keys.add(f"objective-{s.get('strategic')}")
            keys |= {section_key(s.get("strategic"), key) for key, _ in SECTION_PARAS}
    return keys


def reference_errors(fields, texts, section_texts):
    """{field path: what is wrong} for each text citing a paragraph the report does not have."""
    known = known_keys(fields)
    found = [(key, fields.get(key)) for key in texts]
    found += [(f"sections.{i}.{key}", s.get(key)) for i, s in enumerate(fields.get("sections") or [])
              if isinstance(s, dict) for key in section_texts]
    errors = {}
    for path, value in found:
        unknown = [key for key in REFERENCE.findall(value) if key not in known] if isinstance(value, str) else []
        if unknown:
            errors[path] = (f"There is no paragraph “{unknown[0]}” in this report to refer to. Refer to a "
                            f"paragraph by its key, such as {{para:traffic-lights}} or {{para:objective-1-evidence}}")
    return errors


def number_through(blocks):
    """The blocks with their paragraphs numbered in order and every `{para:KEY}` in their
    text replaced by that paragraph's number (an unknown key is shown as it is, marked)."""
    numbers = {}
    for number, block in enumerate((b for b in blocks if b["type"] == "para"), start=1):
        block["number"] = numbers[block["key"]] = number
        whole = _OBJECTIVE.match(block["key"])
        if whole:
            numbers.setdefault(whole[1], block["number"])
    for block in blocks:
        if block["type"] in ("para", "text"):
            block["text"] = REFERENCE.sub(lambda m: str(numbers.get(m[1], f"[no paragraph {m[1]}]")), block["text"])
        if block["type"] == "para":
            label = f"**{block['label']}:** " if block["label"] else ""
            # Escaped so that Markdown shows the number as written rather than starting a list at 1.
            block["numbered"] = f"{block['number']}\\. {label}{block['text']}"
    return blocks
