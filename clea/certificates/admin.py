"""Read-only administration: every change goes through the services (numbers, statuses, history)."""

from django.contrib import admin

from clea.certificates.models import (
    Certificate,
    CertificateCounter,
    CpfExport,
    CpfRecord,
    Mailing,
    MailingBatch,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CertificateCounter)
class CertificateCounterAdmin(ReadOnlyAdmin):
    list_display = ["certification", "year", "last_sequence"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "certification", "awarded_on", "issued_at", "revoked_at"]
    list_filter = ["certification", "year"]
    search_fields = ["number"]
    list_select_related = ["certification"]
    exclude = ["verification_code"]
    raw_id_fields = ["decision", "dossier", "jury_session"]


@admin.register(MailingBatch)
class MailingBatchAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "size", "created_by"]
    list_select_related = ["created_by"]


@admin.register(Mailing)
class MailingAdmin(ReadOnlyAdmin):
    list_display = ["certificate", "kind", "status", "postcode", "sent_at", "returned_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["certificate"]
    raw_id_fields = ["batch", "certificate"]


@admin.register(CpfExport)
class CpfExportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "record_count", "ack_imported_at"]


@admin.register(CpfRecord)
class CpfRecordAdmin(ReadOnlyAdmin):
    list_display = ["certificate", "export", "status", "processed_at"]
    list_filter = ["status"]
    list_select_related = ["certificate", "export"]
    raw_id_fields = ["certificate", "export"]
