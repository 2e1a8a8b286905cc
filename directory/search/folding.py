"""Accent folding that gives an unaccented word exactly the results of its accented form.

The stemmers see accents: Snowball's French stemmer strips "-ité" from "comptabilité" (and
meets "comptable" at "comptabl") but not "-ite" from "comptabilite". Folding before stemming
would break that conflation; folding after it leaves "comptabilite" on another stem. So each
document also records, for every accented word it holds, the pair "folded=accented" (the
`accents` field), and a query word is searched under every form of the index that folds like
it: "securite", "SECURITE" and "sécurité" all become {"securite", "sécurité"}, and so match
the same documents whatever the stemmer does with either form.
"""

from whoosh.lang import stopwords_for_language
from whoosh.support.charset import accent_map

from directory.search.schema import spelling_words

FIELD = "accents"
_SEPARATOR = "="


def fold(word: str) -> str:
    """Lower case without accents, as the analysers' CharsetFilter folds."""
    return word.lower().translate(accent_map)


# Stop words of both languages, folded: "ete" is dropped like "été", so that a word and its
# unaccented form are either both searched or both ignored.
FOLDED_STOP_WORDS = frozenset(
    fold(word) for lang in ("fr", "en") for word in stopwords_for_language(lang)
)


def accent_pairs(text: str) -> str:
    """The `accents` field of a document: "folded=word" for each accented word of `text`."""
    pairs = set()
    for word in spelling_words(text):
        folded = fold(word)
        if folded != word:
            pairs.add(f"{folded}{_SEPARATOR}{word}")
    return " ".join(sorted(pairs))


def forms(reader, word: str) -> tuple[str, ...]:
    """Every form a query word is searched under: itself in lower case, its folded form and
    each indexed word that folds like it (read from the `accents` field's term list)."""
    folded = fold(word)
    found = {word.lower(), folded}
    prefix = f"{folded}{_SEPARATOR}"
    for term in reader.expand_prefix(FIELD, prefix):
        text = term.decode("utf-8") if isinstance(term, bytes) else term
        found.add(text[len(prefix) :])
    return tuple(sorted(found))
