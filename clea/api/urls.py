from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from clea.api import (
    absences,
    certificates,
    directory,
    dossiers,
    evaluations,
    funding,
    funding_employer,
    jury,
    referentiels,
    referrals,
    training,
)

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("referentiels/", referentiels.ReferentielListView.as_view(), name="referentiel-list"),
    path(
        "referentiels/<slug:code>/",
        referentiels.ReferentielDetailView.as_view(),
        name="referentiel-detail",
    ),
    # The candidate's path (DESIGN.md §7): everything the UI does, an evaluator organisation can do here.
    path("dossiers/", dossiers.DossierListView.as_view(), name="dossier-list"),
    path("dossiers/search/", dossiers.DossierSearchView.as_view(), name="dossier-search"),
    path("dossiers/<uuid:id>/", dossiers.DossierDetailView.as_view(), name="dossier-detail"),
    path("dossiers/<uuid:id>/meetings/", dossiers.MeetingCreateView.as_view(), name="dossier-meetings"),
    path("dossiers/<uuid:id>/evaluations/", evaluations.EvaluationStartView.as_view(), name="dossier-evaluations"),
    path(
        "dossiers/<uuid:id>/training-paths/",
        training.TrainingPathCreateView.as_view(),
        name="dossier-training-paths",
    ),
    path(
        "dossiers/<uuid:id>/funding-lines/",
        # The dossiers API's POST (add a line), plus GET: the lines with totals per step.
        funding.DossierFundingLinesView.as_view(),
        name="dossier-funding-lines",
    ),
    path(
        "dossiers/<uuid:id>/absence-requests/",
        absences.AbsenceRequestCreateView.as_view(),
        name="dossier-absence-requests",
    ),
    path("dossiers/<uuid:id>/submit/", dossiers.SubmitView.as_view(), name="dossier-submit"),
    path("dossiers/<uuid:id>/withdraw/", dossiers.WithdrawView.as_view(), name="dossier-withdraw"),
    path("dossiers/<uuid:id>/close/", dossiers.CloseView.as_view(), name="dossier-close"),
    path("evaluations/<uuid:id>/sittings/", evaluations.SittingCreateView.as_view(), name="evaluation-sittings"),
    path("evaluations/<uuid:id>/grid/", evaluations.GridView.as_view(), name="evaluation-grid"),
    path("evaluations/<uuid:id>/results/", evaluations.ResultsView.as_view(), name="evaluation-results"),
    path(
        "evaluations/<uuid:id>/corrections/",
        evaluations.CorrectionView.as_view(),
        name="evaluation-corrections",
    ),
    path("evaluations/<uuid:id>/close/", evaluations.EvaluationCloseView.as_view(), name="evaluation-close"),
    path("training-paths/<uuid:id>/progress/", training.ProgressCreateView.as_view(), name="training-path-progress"),
    path("transfer-requests/", dossiers.TransferRequestCreateView.as_view(), name="transfer-request-list"),
    path(
        "transfer-requests/<uuid:id>/answer/",
        dossiers.TransferAnswerView.as_view(),
        name="transfer-request-answer",
    ),
    # Referrals, absence requests and funding (DESIGN.md §7), as on the screens.
    path("referrals/", referrals.ReferralListView.as_view(), name="referral-list"),
    path("referrals/<uuid:id>/accept/", referrals.ReferralAcceptView.as_view(), name="referral-accept"),
    path("referrals/<uuid:id>/decline/", referrals.ReferralDeclineView.as_view(), name="referral-decline"),
    path("absence-requests/", absences.AbsenceRequestListView.as_view(), name="absence-request-list"),
    path(
        "absence-requests/<uuid:id>/answer/",
        absences.AbsenceAnswerView.as_view(),
        name="absence-request-answer",
    ),
    path("funding-lines/", funding.FundingLineListView.as_view(), name="funding-line-list"),
    # The funding an employer brings, while the employee involves it (rule 15).
    path(
        "dossiers/<uuid:id>/employer-funding-lines/",
        funding_employer.EmployerFundingCreateView.as_view(),
        name="dossier-employer-funding-lines",
    ),
    path(
        "employer-funding-lines/<uuid:id>/",
        funding_employer.EmployerFundingLineView.as_view(),
        name="employer-funding-line-detail",
    ),
    # The jury (DESIGN.md §7): plan a session, seat members, deliberate and sign, as on the screens.
    path("jury-sessions/", jury.JurySessionListView.as_view(), name="jury-session-list"),
    path("jury-sessions/<uuid:id>/", jury.JurySessionDetailView.as_view(), name="jury-session-detail"),
    path("jury-sessions/<uuid:id>/members/", jury.MemberCreateView.as_view(), name="jury-session-members"),
    path("jury-sessions/<uuid:id>/attendance/", jury.AttendanceView.as_view(), name="jury-session-attendance"),
    path("jury-sessions/<uuid:id>/dossiers/", jury.SessionDossiersView.as_view(), name="jury-session-dossiers"),
    path(
        "jury-sessions/<uuid:id>/entries/<uuid:entry_id>/decision/",
        jury.DecisionView.as_view(),
        name="jury-session-decision",
    ),
    path("jury-sessions/<uuid:id>/award-clean/", jury.AwardCleanView.as_view(), name="jury-session-award-clean"),
    path("jury-sessions/<uuid:id>/close/", jury.SessionCloseView.as_view(), name="jury-session-close"),
    path("jury-sessions/<uuid:id>/minutes/", jury.MinutesView.as_view(), name="jury-session-minutes"),
    # Certificates: the certifier issues, prints, duplicates, revokes and reports, as on the screens.
    path(
        "jury-sessions/<uuid:id>/certificates/",
        certificates.SessionIssueView.as_view(),
        name="jury-session-certificates",
    ),
    path("certificates/", certificates.CertificateListView.as_view(), name="certificate-list"),
    path("certificates/<uuid:id>/", certificates.CertificateDetailView.as_view(), name="certificate-detail"),
    path("certificates/<uuid:id>/pdf/", certificates.CertificatePdfView.as_view(), name="certificate-pdf"),
    path(
        "certificates/<uuid:id>/duplicate/",
        certificates.DuplicateView.as_view(),
        name="certificate-duplicate",
    ),
    path("certificates/<uuid:id>/revoke/", certificates.RevokeView.as_view(), name="certificate-revoke"),
    path("mailing-batches/", certificates.MailingBatchListView.as_view(), name="mailing-batch-list"),
    path(
        "mailing-batches/<uuid:id>/",
        certificates.MailingBatchDetailView.as_view(),
        name="mailing-batch-detail",
    ),
    path("mailing-batches/<uuid:id>/pdf/", certificates.MailingBatchPdfView.as_view(), name="mailing-batch-pdf"),
    path(
        "mailing-batches/<uuid:id>/sent/",
        certificates.MailingBatchSentView.as_view(),
        name="mailing-batch-sent",
    ),
    path("mailings/<uuid:id>/returned/", certificates.MailingReturnedView.as_view(), name="mailing-returned"),
    path("mailings/<uuid:id>/resend/", certificates.MailingResendView.as_view(), name="mailing-resend"),
    path("mailings/<uuid:id>/pdf/", certificates.MailingPdfView.as_view(), name="mailing-pdf"),
    path("cpf-exports/", certificates.CpfExportCreateView.as_view(), name="cpf-export-list"),
    path("cpf-exports/ack/", certificates.CpfAckView.as_view(), name="cpf-export-ack"),
    path("cpf-exports/<uuid:id>/xml/", certificates.CpfExportXmlView.as_view(), name="cpf-export-xml"),
    # Public: no account, rate-limited per client (same allowance as the /verifier/ page).
    path("verification/<str:code>/", certificates.VerificationView.as_view(), name="verification"),
    # Public directory: no account, the same search as the /annuaire/ page.
    path("directory/", directory.DirectoryListView.as_view(), name="directory-list"),
    path("directory/<uuid:id>/", directory.DirectoryDetailView.as_view(), name="directory-detail"),
]
