"""Test worlds. SubFactory keeps related objects consistent."""

import factory
from allauth.account.models import EmailAddress

from accounts.models import Membership, Organisation, User, Visibility
from matchmaking.models import Capability, Need
from matchmaking.taxonomy import Domain, Technique


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.django.Password("correct horse battery staple")
    # The cast may post: their address is confirmed. `confirmed__verified=False` makes a
    # fresh sign-up that has not followed the confirmation link yet.
    confirmed = factory.RelatedFactory(
        "tests.factories.EmailAddressFactory", factory_related_name="user"
    )


class EmailAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmailAddress
        django_get_or_create = ("user", "email")

    email = factory.LazyAttribute(lambda address: address.user.email)
    verified = True
    primary = True


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.SME
    country = "DE"
    visibility = Visibility.PUBLIC
    languages = factory.LazyFunction(lambda: ["de", "en"])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Need {n}")
    description = "Automated visual inspection of weld seams on steel frames."
    techniques = factory.LazyFunction(lambda: [Technique.COMPUTER_VISION])
    domains = factory.LazyFunction(lambda: [Domain.MANUFACTURING_QUALITY])
    trl = 6


class CapabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Capability

    organisation = factory.SubFactory(
        OrganisationFactory, kind=Organisation.Kind.RESEARCH_INSTITUTE
    )
    title = factory.Sequence(lambda n: f"Capability {n}")
    description = "Deep-learning defect detection on industrial camera images."
    techniques = factory.LazyFunction(lambda: [Technique.COMPUTER_VISION])
    domains = factory.LazyFunction(lambda: [Domain.MANUFACTURING_QUALITY])
    trl = 7
