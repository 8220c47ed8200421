"""The two halves of the backup round trip, each in its own process and database.

`python -m lokalmaal.ops.tests.backup_roundtrip backup DIR` adds people, an organisation, a
workspace and two uploaded plans (files through the storage API) to the database DATABASE_URL
names, then backs it up into DIR; `… restore DIR` restores DIR into its (empty) database. Both
print the row count of every model and the sha256 of every stored file, as JSON.
"""

import hashlib
import json
import os
import sys
from pathlib import Path


def fill() -> None:
    from django.core.files.base import ContentFile

    from lokalmaal.accounts.models import Membership, Organisation, OrganisationKind, Role, User
    from lokalmaal.localgoals.actions import do_create_workspace
    from lokalmaal.plans.models import Passage, PlanDocument
    from lokalmaal.regions.models import Region

    region = Region.objects.create(code="4601", kind="municipality", name="Bergen")
    organisation = Organisation.objects.create(
        slug="bergen", name="Bergen kommune", kind=OrganisationKind.MUNICIPALITY, region=region
    )
    for i, role in enumerate((Role.ADMIN, Role.READER)):
        user = User.objects.create_user(f"p{i}@bergen.kommune.no", "Et-langt-passord-123")
        Membership.objects.create(user=user, organisation=organisation, role=role)
    do_create_workspace(organisation, user, "Planstrategi 2028", "planstrategi", 2028, 2031)
    for n, body in enumerate([b"%PDF-1.4 a plan\n", "Kommuneplan for Bergen – æøå\n".encode()]):
        plan = PlanDocument(organisation=organisation, title=f"Plan {n}", plan_type="other")
        plan.file.save(f"plan{n}.txt", ContentFile(body), save=False)
        plan.save()
        Passage.objects.create(document=plan, number=1, text="Trygg skuleveg", goals=[11])


def state() -> dict[str, object]:
    from django.core.files.storage import default_storage

    from lokalmaal.ops.backup import row_counts, stored_files

    files = {}
    for name in stored_files():
        with default_storage.open(name, "rb") as stream:
            files[name] = hashlib.sha256(stream.read()).hexdigest()
    return {"rows": row_counts(), "files": files}


def main(step: str, folder: Path) -> dict[str, object]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lokalmaal.config.settings")
    import django

    django.setup()
    from lokalmaal.ops.backup import backup, restore

    if step == "backup":
        fill()
        backup(folder)
    else:
        restore(folder)
    return state()


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], Path(sys.argv[2]))))
