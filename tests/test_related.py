""" "Read next" (related.py): plain records in, keys out, remembered between builds."""

from __future__ import annotations

import pytest

from seedpress import related as module
from seedpress.related import Doc, related, remembered

DOCS = [
    Doc("a", ("ana",), "Harbour ferry timetable cuts draw protest"),
    Doc("b", ("ben",), "Ferry timetable restored after harbour protest"),
    Doc("c", ("ana",), "Coffee growers move uphill as drought bites"),
    Doc("d", ("cy",), "Drought reshapes the coffee harvest"),
    Doc("e", ("cy",), "Census shows island population falling"),
]


def test_related_ranks_shared_words_and_authors_and_never_the_story_itself():
    found = related(DOCS, count=2)
    assert set(found) == {doc.key for doc in DOCS}
    assert all(key not in found[key] and len(found[key]) <= 2 for key in found)
    assert found["a"][0] == "b"  # ferry, timetable, harbour, protest
    assert found["c"][0] in ("d", "a")  # coffee and drought, or the same author


def test_remembered_answers_from_its_file_until_a_doc_changes(tmp_path, monkeypatch):
    cache = tmp_path / "cache" / "related.json"
    first = remembered(DOCS, 2, cache)
    assert first == related(DOCS, count=2) and cache.is_file()

    def fail(*_args, **_kwargs):
        raise AssertionError("computed again")

    monkeypatch.setattr(module, "related", fail)
    assert remembered(DOCS, 2, cache) == first  # from the file
    changed = [*DOCS[:-1], Doc("e", ("cy",), "Census shows coffee growers leaving")]
    with pytest.raises(AssertionError, match="computed again"):
        remembered(changed, 2, cache)
    with pytest.raises(AssertionError, match="computed again"):
        remembered(DOCS, 3, cache)  # another count
    monkeypatch.undo()
    cache.write_text("{not json")
    assert remembered(DOCS, 2, cache) == first  # a damaged file is computed again
