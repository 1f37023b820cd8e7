from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def add_vietnamese_collation(sender: Any, connection: Any, **kwargs: Any) -> None:
    """SQLite has no Vietnamese collation; give it one named "vi", like the ICU collation
    the PostgreSQL migration creates, so lists sort the same on both databases."""
    if connection.vendor == "sqlite":
        from hdnd.lib.vietnamese import compare_vietnamese

        connection.connection.create_collation("vi", compare_vietnamese)


class CoreConfig(AppConfig):
    name = "hdnd.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        connection_created.connect(add_vietnamese_collation, dispatch_uid="hdnd-vi-collation")
