"""Goal sets adopted before adopted versions existed get version 1 from their goals as they are,
so a published set does not vanish from the public page. The old page said "adopted by the
council", so the body is recorded as the municipal council."""

from django.db import migrations

GOAL_FIELDS = ("id", "version", "kind", "title", "description", "strategies", "responsible_unit", "parent_id")
INDICATOR_FIELDS = (
    "id", "name", "unit", "direction", "baseline_value", "baseline_year", "target_value",
    "target_year", "library_id",
)


def _code_key(code):
    goal, _, rest = code.partition(".")
    return (int(goal), int(rest) if rest.isdigit() else 100, rest)


def create_versions(apps, schema_editor):
    Workspace = apps.get_model("localgoals", "Workspace")
    AdoptedVersion = apps.get_model("localgoals", "AdoptedVersion")
    adopted = Workspace.objects.filter(
        status__in=["adopted", "revised"], adopted_on__isnull=False, versions__isnull=True
    )
    for workspace in adopted:
        goals = workspace.goals.prefetch_related("targets", "indicators").order_by("position", "id")
        content = {
            "priorities": sorted(
                workspace.priorities.values_list("target__code", flat=True), key=_code_key
            ),
            "goals": [
                {
                    **{name: getattr(goal, name) for name in GOAL_FIELDS},
                    "targets": [
                        {"code": code}
                        for code in sorted((t.code for t in goal.targets.all()), key=_code_key)
                    ],
                    "indicators": [
                        {name: getattr(i, name) for name in INDICATOR_FIELDS}
                        for i in goal.indicators.all()
                    ],
                }
                for goal in goals
            ],
        }
        AdoptedVersion.objects.create(
            workspace=workspace,
            number=1,
            adopted_on=workspace.adopted_on,
            case_number=workspace.case_number,
            body="Kommunestyret",
            content=content,
        )
        if not workspace.adopted_by_body:
            workspace.adopted_by_body = "Kommunestyret"
            workspace.save(update_fields=["adopted_by_body"])


class Migration(migrations.Migration):
    dependencies = [
        ("localgoals", "0002_adoption_versions_measures_consultation"),
    ]

    operations = [migrations.RunPython(create_versions, migrations.RunPython.noop)]
