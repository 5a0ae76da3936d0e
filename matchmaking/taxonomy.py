"""The shared vocabulary of postings: AI techniques, application domains and the other
closed lists. Codes are stored; labels are translated. The bilingual glossary in
data/glossary.json maps free-text terms (German or English) onto these codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Technique(models.TextChoices):
    COMPUTER_VISION = "computer_vision", _("Computer vision")
    NLP = "nlp", _("Natural language processing")
    SPEECH = "speech", _("Speech processing")
    PREDICTIVE_MAINTENANCE = "predictive_maintenance", _("Predictive maintenance")
    FORECASTING = "forecasting", _("Forecasting")
    OPTIMISATION = "optimisation", _("Optimisation")
    ROBOTICS = "robotics", _("Robotics")
    GENERATIVE_AI = "generative_ai", _("Generative AI")
    RECOMMENDER = "recommender", _("Recommender systems")
    ANOMALY_DETECTION = "anomaly_detection", _("Anomaly detection")
    KNOWLEDGE_GRAPHS = "knowledge_graphs", _("Knowledge graphs")
    REINFORCEMENT_LEARNING = "reinforcement_learning", _("Reinforcement learning")
    EDGE_AI = "edge_ai", _("Edge AI / embedded ML")
    DATA_ANALYTICS = "data_analytics", _("Data analytics")
    EXPLAINABLE_AI = "explainable_ai", _("Explainable and trustworthy AI")


class Domain(models.TextChoices):
    MANUFACTURING_QUALITY = "manufacturing_quality", _("Manufacturing quality")
    PRODUCTION = "production", _("Production and automation")
    LOGISTICS = "logistics", _("Logistics")
    ENERGY = "energy", _("Energy")
    HEALTH = "health", _("Health")
    AGRICULTURE = "agriculture", _("Agriculture and food")
    PUBLIC_SERVICES = "public_services", _("Public services")
    FINANCE = "finance", _("Finance")
    MOBILITY = "mobility", _("Mobility")
    CONSTRUCTION = "construction", _("Construction")
    RETAIL = "retail", _("Retail")
    ENVIRONMENT = "environment", _("Environment and climate")
    EDUCATION = "education", _("Education")
    SECURITY = "security", _("Security")
    MEDIA = "media", _("Media and culture")


class CollaborationType(models.TextChoices):
    RND_PROJECT = "rnd_project", _("R&D project")
    PILOT = "pilot", _("Pilot")
    LICENSING = "licensing", _("Licensing")
    SERVICE_CONTRACT = "service_contract", _("Service contract")
    DATA_SHARING = "data_sharing", _("Data sharing")
    FUNDING_CONSORTIUM = "funding_consortium", _("Funding consortium")
    STUDENT_PROJECT = "student_project", _("Student project")


class RegionScope(models.TextChoices):
    LOCAL = "local", _("Local (up to 50 km)")
    REGIONAL = "regional", _("Regional (up to 200 km)")
    NATIONAL = "national", _("National")
    EU = "eu", _("EU-wide")


class Sovereignty(models.TextChoices):
    ON_PREMISES = "on_premises", _("On-premises")
    EU_HOSTED = "eu_hosted", _("EU-hosted")
    OPEN_WEIGHTS = "open_weights", _("Open weights")


class BudgetBand(models.TextChoices):
    UNDER_50K = "lt50k", _("under €50k")
    FROM_50K = "50k-250k", _("€50k–250k")
    FROM_250K = "250k-1m", _("€250k–1M")
    OVER_1M = "gt1m", _("over €1M")


class Sector(models.TextChoices):
    """NACE Rev. 2 sections."""

    A = "A", _("Agriculture, forestry and fishing")
    B = "B", _("Mining and quarrying")
    C = "C", _("Manufacturing")
    D = "D", _("Electricity, gas, steam and air conditioning supply")
    E = "E", _("Water supply, sewerage, waste management")
    F = "F", _("Construction")
    G = "G", _("Wholesale and retail trade")
    H = "H", _("Transportation and storage")
    I = "I", _("Accommodation and food service")  # noqa: E741
    J = "J", _("Information and communication")
    K = "K", _("Financial and insurance activities")
    L = "L", _("Real estate activities")
    M = "M", _("Professional, scientific and technical activities")
    N = "N", _("Administrative and support service activities")
    O = "O", _("Public administration and defence")  # noqa: E741
    P = "P", _("Education")
    Q = "Q", _("Human health and social work")
    R = "R", _("Arts, entertainment and recreation")
    S = "S", _("Other service activities")


class Language(models.TextChoices):
    GERMAN = "de", _("German")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    ITALIAN = "it", _("Italian")
    SPANISH = "es", _("Spanish")
    DUTCH = "nl", _("Dutch")
    POLISH = "pl", _("Polish")
    CZECH = "cs", _("Czech")
    DANISH = "da", _("Danish")
    SWEDISH = "sv", _("Swedish")
    FINNISH = "fi", _("Finnish")
    PORTUGUESE = "pt", _("Portuguese")
