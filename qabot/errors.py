"""Errors the library raises for problems a user can fix."""


class QabotError(Exception):
    """Base class: a problem worth a one-line message, not a traceback."""


class ArticleError(QabotError):
    """An article under the seeds folder cannot be read as text."""


class NoArticlesError(QabotError):
    """The seeds folder is missing or holds no articles."""


class IndexLoadError(QabotError):
    """The index folder is missing, incomplete or does not match."""


class IndexPathError(QabotError):
    """The index path names something that is not a folder (a user's file)."""


class BadQuestionError(QabotError):
    """The question is empty once cleaned."""


class QuoteMismatchError(IndexLoadError):
    """A record of the index is not its article's text at its offsets: the
    index is damaged or out of date, and the quote is never shown."""


class IndexWriteError(QabotError):
    """The index folder cannot be written (permissions, a full disk)."""


class PageError(QabotError):
    """A web page cannot be fetched, or holds no article text."""


class StoreError(QabotError):
    """A Milvus store cannot be used: its extra is missing, it cannot be
    reached, or it does not hold this index."""


class StoreOutOfStepError(StoreError):
    """A Milvus store no longer holds the rows of the index loaded (it was
    updated since, or emptied): the index must be loaded again."""


class UsageError(QabotError):
    """The command line is wrong in a way argparse cannot see (an option
    given both before and after the command name)."""


class UnknownArticleError(QabotError):
    """A file named as an article (`--article`, `qabot remove`) is not one
    of the articles: outside the seeds folder, or not there at all."""
