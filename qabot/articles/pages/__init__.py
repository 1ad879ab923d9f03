"""Web pages as articles: the article text taken out of a page's HTML
(:mod:`.extract`), pages downloaded by address (:mod:`.download`), and saved
into the seeds folder as plain-text articles (:mod:`.saving`)."""
