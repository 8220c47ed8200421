"""Pages of the SDG catalogue; each is a thin shell around a read in reads.py."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from lokalmaal.catalogue import reads


def goal_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalogue/goal_list.html", {"goals": reads.list_goals(get_language())})


def goal_detail(request: HttpRequest, number: int) -> HttpResponse:
    goal = reads.get_goal(number, get_language())
    return render(request, "catalogue/goal_detail.html", {"goal": goal})


def target_detail(request: HttpRequest, code: str) -> HttpResponse:
    target = reads.get_target(code, get_language())
    return render(request, "catalogue/target_detail.html", {"target": target})
