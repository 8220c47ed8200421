"""Uploads through the storage API reach an S3-compatible bucket (django-storages with the
options settings.py gives it), and the worker reads them back from there: no app server or
worker needs a file on its own disk. The bucket is moto's S3 emulation, in this process."""

import hashlib

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto import mock_aws

from conftest import make_user
from lokalmaal.config import settings as project_settings
from lokalmaal.ops.backup import backup
from lokalmaal.plans.actions import PlanInput, do_upload_plan
from lokalmaal.plans.models import Status

BUCKET = "lokalmaal-test"
REGION = "eu-north-1"
PLAN = "Kommuneplanens samfunnsdel.\n\nKommunen skal kutte klimagassutslippene og verne natur.\n"


@pytest.fixture
def s3_bucket(settings, tmp_path):
    with mock_aws():
        client = boto3.client("s3", region_name=REGION)
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        options = {
            **project_settings._s3_options,
            "bucket_name": BUCKET,
            "region_name": REGION,
            "access_key": "testing",
            "secret_key": "testing",
        }
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
        }
        settings.MEDIA_ROOT = tmp_path / "media"  # must stay empty
        settings.TASKS = {
            "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
        }
        yield client


@pytest.mark.django_db
def test_an_uploaded_plan_is_stored_in_the_bucket_and_analysed_from_it(
    bergen, s3_bucket, settings, tmp_path
):
    user = make_user("planlegger@bergen.kommune.no")
    upload = SimpleUploadedFile("samfunnsdel.txt", PLAN.encode(), "text/plain")
    plan = do_upload_plan(
        bergen, user, PlanInput("Samfunnsdelen", "samfunnsdel", 2026), upload=upload, kind="text"
    )
    plan.refresh_from_db()
    assert plan.status == Status.DONE, plan.failure_message
    assert plan.passages.count() >= 2
    stored = s3_bucket.get_object(Bucket=BUCKET, Key=plan.file.name)["Body"].read()
    assert stored == PLAN.encode()
    assert not (tmp_path / "media").exists()

    summary = backup(tmp_path / "backup")
    assert summary.files[str(plan.file.name)] == hashlib.sha256(PLAN.encode()).hexdigest()
