"""Many people saving ratings at the same moment, through the real page, on a file SQLite database.

Run by test_sqlite_concurrency.py in a child process (DATABASE_URL names the file), so the
database settings are the ones a laptop gets: `python -m lokalmaal.ops.tests.concurrent_ratings N`
prints the status of each of N posts, any error, and the ratings saved, as JSON.
"""

import json
import os
import sys
import threading
import traceback


def main(people: int) -> dict[str, object]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lokalmaal.config.settings")
    import django

    django.setup()
    from django.db import connections
    from django.test import Client
    from django.test.utils import setup_test_environment

    from lokalmaal.accounts.models import Membership, Organisation, OrganisationKind, Role, User
    from lokalmaal.localgoals.actions import do_create_workspace
    from lokalmaal.localgoals.models import Rating
    from lokalmaal.regions.models import Region

    setup_test_environment()
    region = Region.objects.get(code="4601")
    organisation = Organisation.objects.create(
        slug="samtidig", name="Samtidig", kind=OrganisationKind.MUNICIPALITY, region=region
    )
    users = [
        User.objects.create_user(f"p{i}@samtidig.no", "Et-langt-passord-123") for i in range(people)
    ]
    for user in users:
        Membership.objects.create(user=user, organisation=organisation, role=Role.EDITOR)
    workspace = do_create_workspace(organisation, users[0], "Samtidig", "planstrategi", None, None)
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    connections.close_all()

    url = f"/arbeidsrom/{workspace.pk}/vurder/?mal=11&alle=1"
    form = {
        "importance-11.1": "4",
        "influence-11.1": "3",
        "importance-11.6": "5",
        "influence-11.6": "2",
    }
    start = threading.Barrier(people)
    statuses: list[int] = []
    errors: list[str] = []

    def post(client: Client) -> None:
        try:
            start.wait()
            statuses.append(client.post(url, form).status_code)
        except Exception:
            errors.append(traceback.format_exc(limit=3))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "statuses": statuses,
        "errors": errors,
        "ratings": Rating.objects.filter(workspace=workspace).count(),
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]))))
