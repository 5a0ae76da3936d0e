"""Fill the database with a demo world: about 70 organisations in Germany and elsewhere in
Europe, their needs and capabilities in German and English, and a few sign-in accounts.

The world lives in matchmaking/data/demo/*.json (one file per area, read in name order).
Each file is a list of organisations with their `needs` and `capabilities` nested inside;
`deadline_in_days` is counted from the day the posting is created, so a fresh demo never
shows expired deadlines.

Idempotent: organisations are keyed by slug (the slug of their name), postings by
(organisation, title), users by e-mail. Rows that exist are left exactly as they are, so a
second run changes nothing and a demo someone has edited keeps its edits. Everything is
written in one transaction: a broken entry leaves the database untouched.

Postings go through `need_create`/`capability_create` with `embed=False`; after the commit
everything stale is embedded in one batch (`manage.py embed --stale`, with a progress bar),
which is several times faster than one task per posting, each re-embedding its whole
organisation; then every stale suggestion list is ranked into the match store
(`manage.py rematch --stale`). The demo can suggest as soon as the command returns.
"""

import json
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Membership, Organisation, Region, User, Visibility
from accounts.services import organisation_create, user_email_confirm
from matchmaking.collaboration.demo import seed_collaboration_history
from matchmaking.insights.demo import seed_suggestions_shown
from matchmaking.models import Capability, Need
from matchmaking.network.demo import seed_past_projects
from matchmaking.services import POSTING_FIELDS, capability_create, need_create

DEMO_DIR = Path(__file__).resolve().parents[2] / "data" / "demo"

# Published on purpose: these accounts exist only in demo databases. Change them with
# --password / --admin-password before showing a demo on a public server.
DEMO_PASSWORD = "demo-partnering-2026"  # noqa: S105
ADMIN_EMAIL = "admin@example.org"
ADMIN_PASSWORD = "admin-partnering-2026"  # noqa: S105

ORGANISATION_KEYS = ("name", "kind", "country", "region", "contact")
POSTING_KEYS = ("title", "description", "trl")
# Posting keys in the data files that go straight to need_create/capability_create; the
# deadline is computed from `deadline_in_days` and every demo posting starts open.
POSTING_PASSTHROUGH = POSTING_FIELDS - {"deadline", "status"}


class Command(BaseCommand):
    help = (
        "Create a demo world of about 70 organisations with needs and capabilities in German "
        "and English. Safe to run again: existing organisations (by slug), postings (by "
        "organisation and title) and users (by e-mail) are left untouched. Sign-in accounts: "
        f"{ADMIN_EMAIL} / {ADMIN_PASSWORD} (staff superuser, Django admin); "
        f"demo-admin@example.org, demo-institute@example.org, demo-hospital@example.org and "
        f"demo-city@example.org / {DEMO_PASSWORD} (organisation admins). Other demo contacts "
        "cannot sign in (no usable password)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data",
            type=Path,
            default=DEMO_DIR,
            help="Folder with the demo *.json files (default: matchmaking/data/demo).",
        )
        parser.add_argument(
            "--password",
            default=DEMO_PASSWORD,
            help="Password for new demo-*@example.org accounts (default: %(default)s).",
        )
        parser.add_argument(
            "--no-embed",
            action="store_true",
            help="Only write the world; embed it later with `manage.py embed --stale`.",
        )
        parser.add_argument(
            "--no-event",
            action="store_true",
            help="Leave out the demo brokerage event (events/demo.py).",
        )
        parser.add_argument(
            "--admin-password",
            default=ADMIN_PASSWORD,
            help=f"Password for a new {ADMIN_EMAIL} superuser (default: %(default)s).",
        )

    def handle(
        self,
        *args: Any,
        data: Path,
        password: str,
        admin_password: str,
        no_embed: bool,
        no_event: bool,
        **options: Any,
    ) -> None:
        entries = _load(data)
        if not Region.objects.exists():
            raise CommandError("The Region table is empty. Run `manage.py migrate` first.")
        started = time.monotonic()
        tally: Counter[str] = Counter()
        logins: list[tuple[str, str, str]] = []
        with transaction.atomic():
            _seed_staff(password=admin_password, tally=tally)
            logins.append((ADMIN_EMAIL, admin_password, "staff superuser, Django admin"))
            for entry in entries:
                try:
                    skipped = _seed_organisation(entry, password=password, tally=tally)
                except (ValidationError, PermissionDenied) as error:
                    raise CommandError(f"{entry['name']}: {_message(error)}") from error
                if skipped:
                    self.stderr.write(
                        self.style.WARNING(
                            f"Skipped the postings of {entry['name']}: an organisation with "
                            "this slug exists and its demo contact is not a member."
                        )
                    )
                if entry.get("login"):
                    logins.append((entry["login"], password, f"admin of {entry['name']}"))
        tally.update(seed_collaboration_history())
        tally.update(seed_past_projects())
        tally.update(seed_suggestions_shown())
        written = time.monotonic() - started
        if not no_embed:
            call_command("embed", "--stale", stdout=self.stdout, stderr=self.stderr)
            call_command("rematch", "--stale", stdout=self.stdout, stderr=self.stderr)
        self._report(tally, logins, written=written, total=time.monotonic() - started)
        if not no_event:
            self._seed_event()

    def _seed_event(self) -> None:
        """The demo brokerage (events/demo.py), scored by the engine on the world above."""
        from events.demo import demo_event_seed

        started = time.monotonic()
        event = demo_event_seed(
            organiser=User.objects.get(email=ADMIN_EMAIL),
            participant_user=User.objects.filter(email="demo-admin@example.org").first(),
        )
        if event is not None:
            self.stdout.write(
                f"Demo event {event.name!r}: {event.participants.count()} participants, "
                f"{event.meetings.count()} draft meetings, in {time.monotonic() - started:.1f} s "
                f"(organiser {ADMIN_EMAIL}, participant demo-admin@example.org)."
            )

    def _report(
        self,
        tally: Counter[str],
        logins: list[tuple[str, str, str]],
        *,
        written: float,
        total: float,
    ) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo world ready: written in {written:.1f} s, embedded and ranked in "
                f"{total - written:.1f} s."
            )
        )
        for label, key in (
            ("organisations", "organisations"),
            ("needs", "needs"),
            ("capabilities", "capabilities"),
            ("users", "users"),
        ):
            self.stdout.write(
                f"  {label + ':':<15}{tally[key + '_created']:>4} created, "
                f"{tally[key + '_existing']:>4} existing"
            )
        self.stdout.write(
            f"  {'contacts:':<15}{tally['contact_requests_created']:>4} created, "
            f"{tally['contact_requests_existing']:>4} existing "
            f"({tally['outcomes_created']} outcomes, {tally['anonymous_postings']} anonymous need)"
        )
        self.stdout.write(
            f"  {'past projects:':<15}{tally['past_projects_created']:>4} created, "
            f"{tally['past_projects_existing']:>4} existing "
            f"({tally['project_partners_linked']} partners linked)"
        )
        if tally["suggestions_shown_created"]:
            self.stdout.write(
                f"  {'dashboard:':<15}{tally['suggestions_shown_created']} suggestions shown "
                "over six months (made-up counters)"
            )
        self.stdout.write("Sign in (accounts that already existed keep their password):")
        width = max(len(email) for email, _password, _role in logins)
        for email, login_password, role in logins:
            self.stdout.write(f"  {email:<{width}}  {login_password}  ({role})")


def _load(folder: Path) -> list[dict[str, Any]]:
    """All organisations of all files, checked for the keys the seed relies on, so that a
    typo fails before anything is written and names its file."""
    files = sorted(folder.glob("*.json"))
    if not files:
        raise CommandError(f"No demo data (*.json) in {folder}.")
    entries: list[dict[str, Any]] = []
    for path in files:
        try:
            organisations = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise CommandError(f"{path.name}: not valid JSON ({error}).") from error
        for organisation in organisations:
            missing = [key for key in ORGANISATION_KEYS if not organisation.get(key)]
            if missing:
                name = organisation.get("name", "?")
                raise CommandError(f"{path.name}: {name} lacks {', '.join(missing)}.")
            for kind in ("needs", "capabilities"):
                for posting in organisation.get(kind, []):
                    missing = [key for key in POSTING_KEYS if not posting.get(key)]
                    if missing:
                        raise CommandError(
                            f"{path.name}: a posting of {organisation['name']} lacks "
                            f"{', '.join(missing)}."
                        )
        entries.extend(organisations)
    return entries


def _message(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _user_get_or_create(
    *, email: str, full_name: str, password: str | None, tally: Counter[str]
) -> User:
    """An existing user keeps everything, including the password someone may have changed.
    `password=None` gives an unusable password: the account exists as an author and
    contact but cannot sign in until someone resets it."""
    user = User.objects.filter(email=email).first()
    if user is not None:
        tally["users_existing"] += 1
        return user
    tally["users_created"] += 1
    user = User.objects.create_user(email, password=password, full_name=full_name)
    user_email_confirm(user=user)
    return user


def _seed_staff(*, password: str, tally: Counter[str]) -> None:
    if User.objects.filter(email=ADMIN_EMAIL).exists():
        tally["users_existing"] += 1
        return
    staff = User.objects.create_superuser(
        ADMIN_EMAIL, password=password, full_name="Platform Admin"
    )
    user_email_confirm(user=staff)
    tally["users_created"] += 1


def _contact_email(entry: dict[str, Any]) -> str:
    if entry.get("login"):
        return entry["login"]
    host = urlparse(entry.get("website", "")).hostname
    return f"contact@{host}" if host else f"contact@{slugify(entry['name'])}.example.org"


def _seed_organisation(entry: dict[str, Any], *, password: str, tally: Counter[str]) -> bool:
    """Create the organisation (with its contact as first admin) and its postings, each
    only if missing. Returns True when the postings were skipped because the slug belongs
    to an organisation the seed did not make: demo postings must not land in a real one."""
    user = _user_get_or_create(
        email=_contact_email(entry),
        full_name=entry["contact"],
        password=password if entry.get("login") else None,
        tally=tally,
    )
    slug = slugify(entry["name"])[:200]
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        organisation = _organisation_create(entry, creator=user)
        tally["organisations_created"] += 1
    else:
        tally["organisations_existing"] += 1
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        return True
    default_visibility = (
        Visibility.HIDDEN if organisation.visibility == Visibility.HIDDEN else Visibility.PUBLIC
    )
    for kind, model, create in (
        ("needs", Need, need_create),
        ("capabilities", Capability, capability_create),
    ):
        for posting in entry.get(kind, []):
            if model.objects.filter(organisation=organisation, title=posting["title"]).exists():
                tally[f"{kind}_existing"] += 1
                continue
            fields = {key: posting[key] for key in POSTING_PASSTHROUGH if key in posting}
            fields.setdefault("visibility", default_visibility)
            if posting.get("deadline_in_days"):
                fields["deadline"] = timezone.localdate() + timedelta(
                    days=posting["deadline_in_days"]
                )
            create(organisation=organisation, author=user, embed=False, **fields)
            tally[f"{kind}_created"] += 1
    return False


def _organisation_create(entry: dict[str, Any], *, creator: User) -> Organisation:
    region = Region.objects.filter(code=entry["region"]).first()
    if region is None:
        raise ValidationError({"region": f"Unknown NUTS-2 region {entry['region']}."})
    return organisation_create(
        creator=creator,
        name=entry["name"],
        kind=entry["kind"],
        country=entry["country"],
        description=entry.get("description", ""),
        website=entry.get("website", ""),
        region=region,
        city=entry.get("city", ""),
        size_band=entry.get("size_band", ""),
        languages=entry.get("languages", []),
        sectors=entry.get("sectors", []),
        visibility=entry.get("visibility", Visibility.PUBLIC),
    )
