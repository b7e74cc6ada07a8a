"""The evaluation report of an application as PDF (A26), one or a whole cycle's.

A report takes about 0.3 s of CPU, nearly all of it WeasyPrint's layout (the template
fixes its column widths and draws simple borders to keep that down): a cycle's 2,000
reports are rendered by a pool of processes (settings.QA_REPORT_WORKERS, default 2:
one per core of the reference machine) and handed back in order. With one worker, or
inside a daemonic process (which may not start children: Celery's prefork workers),
they are rendered in the calling process."""

from __future__ import annotations

import datetime
import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial

from django.conf import settings
from django.db import connection
from django.utils import timezone, translation

from qualityaward.applications.models import Application
from qualityaward.documents.pdf import render_pdf

from . import report_workers
from .selectors.reports import application_report

# Reports handed to a worker at a time: few enough that progress moves smoothly.
CHUNK = 4


def report_pdf(application: Application, *, generated_at: datetime.datetime | None = None) -> bytes:
    """The report in the official language (settings.LANGUAGE_CODE), whoever asks."""
    with translation.override(settings.LANGUAGE_CODE):  # stage and category names
        report = application_report(application=application)
    return render_pdf(
        template="evaluation/report_pdf.html",
        context={
            "report": report,
            "generated_at": generated_at or timezone.localtime(),
            "total_points": application.cycle.rule_set_version.framework.total_points,
        },
    )


def report_file_name(application: Application) -> str:
    return f"评审报告-{application.receipt_number or f'application-{application.pk}'}.pdf"


def report_pdf_by_id(application_id: int, generated_at: datetime.datetime) -> bytes:
    application = (
        Application.objects.select_related("applicant", "cycle__rule_set_version__framework")
    ).get(pk=application_id)
    return report_pdf(application, generated_at=generated_at)


def report_pdfs(application_ids: Sequence[int]) -> Iterator[bytes]:
    """The report PDF of each application, in the order given."""
    generated_at = timezone.localtime()
    workers = min(settings.QA_REPORT_WORKERS, len(application_ids))
    if workers < 2 or multiprocessing.current_process().daemon:
        yield from (report_pdf_by_id(pk, generated_at) for pk in application_ids)
        return
    # spawn, not fork: the caller may be a thread of the web process holding locks and
    # database connections that a forked child would inherit.
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=report_workers.setup,
        initargs=(connection.settings_dict["NAME"],),
    )
    try:
        render = partial(report_workers.render, generated_at=generated_at)
        yield from pool.map(render, application_ids, chunksize=CHUNK)
    finally:
        # A report that failed, or a caller that stopped reading: the reports not
        # started yet are dropped instead of rendered for nobody.
        pool.shutdown(cancel_futures=True)
