import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# The language identifier is loaded as each web process starts, not by its first save of a
# posting (seconds on a busy machine).
from matchmaking.languages import detect_language  # noqa: E402

detect_language("warm-up")
