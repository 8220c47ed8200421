import csv

import pytest

from conftest import bundle_dir
from lokalmaal.catalogue.bundle import TEXTS_DIR, read_catalogue
from lokalmaal.catalogue.models import Goal, Indicator, Target

pytestmark = pytest.mark.django_db


def test_catalogue_has_17_goals_169_targets_and_every_global_indicator():
    assert Goal.objects.count() == 17
    assert Target.objects.count() == 169
    assert Indicator.objects.count() == 252  # the UN list, repeated indicators under each target


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_no_goal_or_target_text_is_empty_in_any_language(language):
    for goal in Goal.objects.all():
        assert getattr(goal, f"title_{language}").strip(), goal
        assert getattr(goal, f"short_{language}").strip(), goal
    for target in Target.objects.all():
        assert getattr(target, f"title_{language}").strip(), target


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_goal_and_target_has_lokalmaals_own_reviewed_text(language):
    assert set(Goal.objects.values_list(f"provenance_{language}", flat=True)) == {"lokalmaal"}
    assert set(Target.objects.values_list(f"provenance_{language}", flat=True)) == {"lokalmaal"}


def test_english_is_the_un_original_and_indicator_bokmaal_is_marked_unreviewed():
    assert set(Target.objects.values_list("provenance_en", flat=True)) == {"un"}
    # Unreviewed, except the few whose errors Lokalmål corrected (texts/nb/indicators.csv).
    own = Indicator.objects.filter(provenance_nb="lokalmaal").values_list("code", flat=True)
    assert sorted(own) == ["11.6.1", "11.6.2"]
    assert set(Indicator.objects.values_list("provenance_nb", flat=True)) == {"bundle", "lokalmaal"}


def test_own_bokmaal_fixes_the_known_errors_of_the_community_translation():
    bokmaal = " ".join(Target.objects.values_list("title_nb", flat=True))
    assert "må du" not in bokmaal
    assert "etasjer" not in bokmaal
    # 1.a was a copy of 1.5 in the community translation
    assert Target.objects.get(code="1.a").title_nb != Target.objects.get(code="1.5").title_nb


@pytest.mark.parametrize(
    "bokmaal_form", [" ikke ", " hele ", "bærekraft", "Innen 2030", " særlig ", "mellom annet"]
)
def test_nynorsk_target_texts_have_no_common_bokmaal_forms(bokmaal_form):
    nynorsk = " ".join(Target.objects.values_list("title_nn", flat=True))
    assert bokmaal_form not in nynorsk


def test_own_text_files_cover_each_goal_in_order_with_unique_ids():
    catalogue = read_catalogue(bundle_dir())
    un_order = [t.code for t in catalogue.targets]
    for language in ("nb", "nn"):
        ids = []
        for path in sorted((TEXTS_DIR / language).glob("[0-9]*.csv")):  # not indicators.csv
            with path.open(encoding="utf-8") as file:
                ids += [row["id"] for row in csv.DictReader(file) if "." in row["id"]]
        assert ids == un_order, language
