"""Site settings for local builds (`invoke build`, `invoke serve`).

publishconf.py imports these and changes what production needs.
"""

# --- What a publisher changes --------------------------------------------------
SITENAME = "The Harbour Ledger"
SITESUBTITLE = "News from the harbour towns, the region and the world"
AUTHOR = "The Harbour Ledger"  # used where a story has no byline
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"
SEEDPRESS_DEFAULT_SECTION = "News"  # section of seeds directly in seeds/
DEFAULT_CATEGORY = SEEDPRESS_DEFAULT_SECTION  # of hand-written posts without one
SEEDPRESS_SECTION_NAMES = {"world": "World", "science": "Science"}
SEEDPRESS_FEED_LIMIT = 50  # items in each subscription feed
# Authority of the story ids minted for new stories (a domain you own).
SEEDPRESS_ID_AUTHORITY = "harbourledger.example"

# Local builds link within the site relatively; feeds need absolute URLs.
SITEURL = ""
RELATIVE_URLS = True
FEED_DOMAIN = "http://127.0.0.1:8000"

# --- Pipeline --------------------------------------------------------------------
PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["seedpress"]
STATIC_PATHS: list[str] = []
IGNORE_FILES = [".*", "ledger.json"]
USE_FOLDER_AS_CATEGORY = False  # sections come from seeds/ folders, not content/
# One language: the theme shows no translations, so Pelican's search for them
# (by slug, in a loop that compares every story with every other: a second a
# build at 10,000 stories) is off. Set it to "slug" for translated posts.
ARTICLE_TRANSLATION_ID = None

# Seedpress writes its own feeds with feedgen: Pelican's built-in ones are off.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
FEED_ATOM = None
FEED_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None

# --- URLs: a story's URL is its first-published date and its slug, both kept in
# content/ledger.json, so it never changes. -------------------------------------
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
AUTHOR_URL = "authors/{slug}/"
AUTHOR_SAVE_AS = "authors/{slug}/index.html"
AUTHORS_SAVE_AS = "authors/index.html"
CATEGORY_URL = "sections/{slug}/"
CATEGORY_SAVE_AS = "sections/{slug}/index.html"
CATEGORIES_SAVE_AS = "sections/index.html"
ARCHIVES_SAVE_AS = "archives/index.html"  # the years and months, with their counts
# A page for each year and month, where a story's URL says it was published:
# /2025/03/ lists March's stories (a few hundred), /2025/ the year's months.
YEAR_ARCHIVE_URL = "{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "{date:%Y}/index.html"
MONTH_ARCHIVE_URL = "{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = "{date:%Y}/{date:%m}/index.html"
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "authors", "categories", "archives", "search", "404"]
SEARCH_SAVE_AS = "search/index.html"

DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
DEFAULT_DATE_FORMAT = "%-d %B %Y"
# Dates are written the same whatever the machine's locale: builds are identical.
LOCALE = ("C.UTF-8", "C")
SUMMARY_MAX_LENGTH = 40
