import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from clea.quality import signals
from clea.referentiel.models import Certification


class Command(BaseCommand):
    help = (
        "Affiche les signaux de risque des organismes évaluateurs sur une période (les plus signalés "
        "d'abord) et la répartition nationale de chaque indicateur."
    )

    def add_arguments(self, parser):
        parser.add_argument("--certification", default="CLEA", help="code de la certification (défaut CLEA)")
        parser.add_argument(
            "--start", type=datetime.date.fromisoformat, help="début AAAA-MM-JJ (défaut : il y a un an)"
        )
        parser.add_argument("--end", type=datetime.date.fromisoformat, help="fin AAAA-MM-JJ (défaut : aujourd'hui)")
        parser.add_argument("--top", type=int, default=10, help="organismes détaillés (défaut 10)")

    def handle(self, *args, certification, start, end, top, **options):
        found = Certification.objects.filter(code=certification).first()
        if found is None:
            raise CommandError(f"Certification inconnue : {certification}.")
        end = end or timezone.localdate()
        start = start or end - datetime.timedelta(days=365)
        if end < start:
            raise CommandError("La fin de la période doit suivre son début.")
        started = timezone.now()
        risks = signals.risks(found, signals.Period(start, end))
        seconds = (timezone.now() - started).total_seconds()
        write = self.stdout.write
        write(
            f"{found.name}, évaluations closes du {start:%d/%m/%Y} au {end:%d/%m/%Y} : {len(risks)} organismes actifs"
        )
        write(f"calcul : {seconds:.2f} s")
        for definition in signals.DEFINITIONS:
            shares = [s for r in risks for s in r.signals if s.code == definition.code]
            judged = [s for s in shares if s.measure.total >= signals.MIN_VOLUME]
            raised = sum(s.raised for s in shares)
            median = judged[0].median if judged else 0.0
            p90 = judged[0].p90 if judged else 0.0
            write(
                f"- {definition.label} : médiane {median:.0%}, 90e centile {p90:.0%}, "
                f"{len(judged)} organismes jugés, {raised} signal(aux) levé(s)"
            )
        scores: dict[int, int] = {}
        for risk in risks:
            scores[risk.score] = scores.get(risk.score, 0) + 1
        write("organismes par nombre de signaux levés : " + ", ".join(f"{k} → {v}" for k, v in sorted(scores.items())))
        for risk in risks[:top]:
            write(f"{risk.name} : {risk.score} signal(aux)")
            for signal in risk.raised:
                write(f"    {signal.label} — {signal.explanation}")
