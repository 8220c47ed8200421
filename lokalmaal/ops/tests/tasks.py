"""A task for the worker tests: records the order in which tasks ran."""

from django.tasks import task

RAN: list[str] = []


@task()
def record(label: str) -> str:
    RAN.append(label)
    return label
