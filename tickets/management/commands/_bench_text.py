"""German and English support texts for the benchmark data set.

Sentences are put together from templates and word lists, so the texts read
like support requests. Each rarer word (an error code, a host name, a file)
appears in only a small share of the requests, as in real data.
"""

import random

from helpcenter.models import TicketType

FEATURES_EN = [
    "export to Excel",
    "PDF report",
    "license check",
    "nightly import",
    "map rendering",
    "cable routing",
    "load flow calculation",
    "user synchronisation",
    "print preview",
    "database upgrade",
    "bulk edit",
    "network simulation",
]
FEATURES_DE = [
    "Export nach Excel",
    "PDF-Bericht",
    "Lizenzprüfung",
    "nächtliche Import",
    "Kartendarstellung",
    "Kabeltrassierung",
    "Lastflussberechnung",
    "Benutzersynchronisation",
    "Druckvorschau",
    "Datenbankaktualisierung",
    "Massenbearbeitung",
    "Netzsimulation",
]
SYMPTOMS_EN = [
    "fails with error {code}",
    "hangs at {percent} percent",
    "is very slow since the update to {version}",
    "shows wrong totals",
    "crashes when the file is larger than {size} MB",
    "ignores the proxy settings on {host}",
    "loses umlauts in customer names",
    "times out after {minutes} minutes",
]
SYMPTOMS_DE = [
    "bricht mit Fehler {code} ab",
    "bleibt bei {percent} Prozent hängen",
    "ist seit dem Update auf {version} sehr langsam",
    "zeigt falsche Summen",
    "stürzt ab, wenn die Datei größer als {size} MB ist",
    "ignoriert die Proxy-Einstellungen auf {host}",
    "verliert Umlaute in Kundennamen",
    "bricht nach {minutes} Minuten mit Zeitüberschreitung ab",
]
DESCRIPTIONS_EN = [
    "Steps to reproduce: open the project {project}, start the {feature} and wait.",
    "Since yesterday the {feature} {symptom}. Nothing else changed on our side.",
    "We run version {version} on {host} with {users} users.",
    "The log file {file} shows the stack trace attached below.",
    "Expected: the job finishes. Actual: the {feature} {symptom}.",
    "This blocks our monthly billing run, please call back.",
]
DESCRIPTIONS_DE = [
    "Schritte zum Nachstellen: Projekt {project} öffnen, {feature} starten und warten.",
    "Seit gestern {symptom_de_lead} die {feature}. Bei uns wurde nichts geändert.",
    "Wir setzen Version {version} auf {host} mit {users} Benutzern ein.",
    "Die Logdatei {file} enthält den Stacktrace, siehe Anhang.",
    "Erwartet: Der Lauf wird beendet. Tatsächlich: die {feature} {symptom}.",
    "Das blockiert unsere Monatsabrechnung, bitte rufen Sie zurück.",
]
AGENT_EN = [
    "Thank you for the report. Could you send the log file from {host}?",
    "We could reproduce the problem with version {version} and filed it with development.",
    "Please install patch {patch} and restart the service, then try the {feature} again.",
    "The fix is planned for release {version}. As a workaround, disable the {feature}.",
    "Our second-level support asks for the database schema version and the error code {code}.",
    "We have changed the configuration on our side. Please check again.",
]
AGENT_DE = [
    "Vielen Dank für die Meldung. Können Sie uns die Logdatei von {host} schicken?",
    "Wir konnten das Problem mit Version {version} nachstellen und an die Entwicklung gemeldet.",
    "Bitte installieren Sie Patch {patch} und starten Sie den Dienst neu.",
    "Die Korrektur ist für Version {version} geplant. Als Umgehung die {feature} abschalten.",
    "Der Second-Level-Support fragt nach der Schemaversion und dem Fehlercode {code}.",
    "Wir haben die Konfiguration auf unserer Seite angepasst. Bitte prüfen Sie erneut.",
]
CUSTOMER_EN = [
    "Attached is the log file {file}. The error {code} appears every morning.",
    "The patch {patch} did not help, the {feature} still {symptom}.",
    "Thanks, it works now. You can close the request.",
    "Our administrator will install the update on {host} next week.",
    "We see the same on a second machine with {users} users.",
]
CUSTOMER_DE = [
    "Anbei die Logdatei {file}. Der Fehler {code} tritt jeden Morgen auf.",
    "Der Patch {patch} hat nicht geholfen, die {feature} {symptom} weiterhin.",
    "Danke, jetzt funktioniert es. Sie können die Anfrage schließen.",
    "Unser Administrator installiert das Update nächste Woche auf {host}.",
    "Auf einem zweiten Rechner mit {users} Benutzern sehen wir dasselbe.",
]
SUMMARY_PREFIX = {
    TicketType.BUG: {"en": "", "de": ""},
    TicketType.QUESTION: {"en": "Question: ", "de": "Frage: "},
    TicketType.TASK: {"en": "Please: ", "de": "Bitte: "},
    TicketType.SERVICE_REQUEST: {"en": "Service: ", "de": "Service: "},
}
FILE_STEMS = ["server", "import", "export", "trace", "install", "license", "report"]
FILE_SUFFIXES = [".log", ".txt", ".zip", ".png", ".xml"]
HOST_WORDS = ["appsrv", "gisdb", "citrix", "plm", "batch", "terminal"]


class BenchText:
    FIRST_NAMES = [
        "Anna",
        "Ben",
        "Clara",
        "David",
        "Eva",
        "Felix",
        "Greta",
        "Hannes",
        "Ida",
        "Jonas",
        "Karin",
        "Lukas",
        "Mia",
        "Noah",
        "Olga",
        "Paul",
    ]
    LAST_NAMES = [
        "Müller",
        "Schmidt",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Wagner",
        "Becker",
        "Smith",
        "Jones",
        "Brown",
        "Taylor",
        "Wilson",
    ]

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def _slots(self, language: str) -> dict[str, str]:
        rng = self.rng
        features = FEATURES_DE if language == "de" else FEATURES_EN
        symptoms = SYMPTOMS_DE if language == "de" else SYMPTOMS_EN
        slots = {
            "code": f"E{rng.randint(1000, 9999)}",
            "percent": str(rng.choice([17, 42, 63, 88, 99])),
            "version": f"20{rng.randint(23, 26)}.{rng.randint(1, 2)}",
            "size": str(rng.choice([50, 100, 250, 500])),
            "host": f"{rng.choice(HOST_WORDS)}{rng.randint(1, 300):03d}",
            "minutes": str(rng.choice([5, 10, 30, 60])),
            "project": f"P-{rng.randint(100, 9999)}",
            "users": str(rng.choice([5, 20, 80, 300])),
            "file": self.file_name(),
            "patch": f"{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 99)}",
            "feature": rng.choice(features),
        }
        slots["symptom"] = rng.choice(symptoms).format(**slots)
        slots["symptom_de_lead"] = "funktioniert nicht mehr:"
        return slots

    def request(self, language: str, ticket_type: str) -> tuple[str, str]:
        """Return a summary and a description of a request."""
        slots = self._slots(language)
        descriptions = DESCRIPTIONS_DE if language == "de" else DESCRIPTIONS_EN
        summary = f"{slots['feature']} {slots['symptom']}"
        summary = (
            SUMMARY_PREFIX[ticket_type][language] + summary[0].upper() + summary[1:]
        )
        sentences = self.rng.sample(descriptions, 3)
        description = "\n\n".join(sentence.format(**slots) for sentence in sentences)
        return summary[:255], description

    def comment(self, language: str, *, from_agent: bool) -> str:
        if from_agent:
            templates = AGENT_DE if language == "de" else AGENT_EN
        else:
            templates = CUSTOMER_DE if language == "de" else CUSTOMER_EN
        slots = self._slots(language)
        count = self.rng.choice([1, 2, 2, 3])
        return " ".join(
            template.format(**slots) for template in self.rng.sample(templates, count)
        )

    def file_name(self) -> str:
        rng = self.rng
        return (
            f"{rng.choice(FILE_STEMS)}-{rng.randint(1, 9999):04d}"
            f"{rng.choice(FILE_SUFFIXES)}"
        )
