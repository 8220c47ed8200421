"""Passage vectors kept in the database between analyses (`hybrid.VectorStore`), per
organisation."""

from collections.abc import Sequence

import numpy as np

from lokalmaal.accounts.models import Organisation
from lokalmaal.plans import hybrid
from lokalmaal.plans.models import Passage, PassageVector

CHUNK = 500  # keys per query: SQLite allows 999 parameters


class DatabaseVectorStore:
    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        mine = PassageVector.objects.filter(organisation=self.organisation)
        for start in range(0, len(keys), CHUNK):
            rows = mine.filter(key__in=keys[start : start + CHUNK])
            for key, vector in rows.values_list("key", "vector"):
                found[key] = np.frombuffer(bytes(vector), dtype="<f4").copy()
        return found

    def put_many(self, vectors: dict[str, np.ndarray]) -> None:
        rows = [
            PassageVector(
                organisation=self.organisation,
                key=key,
                vector=np.asarray(vector, dtype="<f4").tobytes(),
            )
            for key, vector in vectors.items()
        ]
        # two analyses may store the same text at once: the first one's row stands
        PassageVector.objects.bulk_create(rows, batch_size=CHUNK, ignore_conflicts=True)


def prune(organisation: Organisation) -> int:
    """Delete the organisation's vectors whose text no passage of its plans has any more (a plan
    deleted, or analysed again with other passages); returns how many."""
    texts = Passage.objects.filter(document__organisation=organisation).values_list(
        "text", flat=True
    )
    kept = {hybrid.vector_key(text) for text in texts.iterator()}
    stored = PassageVector.objects.filter(organisation=organisation).values_list("pk", "key")
    stale = [pk for pk, key in stored.iterator() if key not in kept]
    for start in range(0, len(stale), CHUNK):
        PassageVector.objects.filter(pk__in=stale[start : start + CHUNK]).delete()
    return len(stale)
