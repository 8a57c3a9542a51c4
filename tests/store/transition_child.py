"""Subprocess worker: fire transitions on shared documents through the app's
Documents service, printing a tag for each acknowledged one (run as a script).

usage: transition_child.py STORE_URL TAG N DOC_ID...
Each round picks a document, reads it and fires the transition its state
allows (screen a draft, send a screened one back), carrying the version it
read; a stale version is refused (409) and the round is tried again.
"""
import random
import sys

from services.document_service import Documents
from services.storage import ON_DISK
from store import open_store
from workflow.errors import StateConflict
from workflow.users import User

HR = "Human Resources"
AUTHOR = User("hr_staff", frozenset({"staff"}), frozenset({HR}))
LEAD = User("hr_lead", frozenset({"team_leader"}), frozenset({HR}))
NEXT = {"draft": ("screen", AUTHOR), "screened": ("send_back", LEAD)}


def main(url, tag, n, *doc_ids):
    docs, rng, done, refused = Documents(open_store(url, on_disk=ON_DISK)), random.Random(tag), 0, 0
    while done < int(n):
        doc = docs.load(rng.choice(doc_ids))
        name, user = NEXT[doc["state"]]
        comment = f"{tag}-{done}"
        try:
            docs.fire(doc["id"], user, name, doc["version"], comment)
        except StateConflict:
            refused += 1
            continue
        print(comment, flush=True)
        done += 1
    print(f"refused {refused}", file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:])
