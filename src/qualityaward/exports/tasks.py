from celery import shared_task


@shared_task
def run_export(*, export_id: int) -> None:
    from .services import export_run

    export_run(export_id=export_id)
