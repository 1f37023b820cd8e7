"""Background jobs of the petitions module. Each is a thin wrapper over a service, so the
same work also runs from a management command and inline on the embedded default."""

from celery import shared_task


@shared_task
def check_import(batch_id: int) -> None:
    from hdnd.petitions.services.imports import check_import_batch

    check_import_batch(batch_id=batch_id)


@shared_task
def run_import(batch_id: int) -> None:
    from hdnd.petitions.services.imports import run_import_batch

    run_import_batch(batch_id=batch_id)


@shared_task
def suggest_duplicates(item_id: int) -> None:
    from hdnd.petitions.services.consolidation import suggest_duplicates_for_item

    suggest_duplicates_for_item(item_id=item_id)


@shared_task
def send_deadline_reminders() -> None:
    from hdnd.petitions.services.deadlines import send_reminders

    send_reminders()
