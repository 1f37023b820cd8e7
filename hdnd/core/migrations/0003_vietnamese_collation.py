from django.contrib.postgres.operations import CreateCollation
from django.db import migrations


class Migration(migrations.Migration):
    """The collation "vi" sorts names in Vietnamese dictionary order on PostgreSQL (ICU).
    SQLite gets a collation of the same name when it connects (hdnd/core/apps.py)."""

    dependencies = [("core", "0002_audit_chain_head_and_append_only")]

    operations = [CreateCollation("vi", provider="icu", locale="vi-VN")]
